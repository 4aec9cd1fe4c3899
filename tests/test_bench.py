"""The benchmark keeps working: its generator, and a whole run at a tiny size."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter

from conftest import BIN, ROOT, snapshot

from benchmark.generate import TAGS, generate


def test_the_generated_journal_is_deterministic_and_shaped_like_the_brief(tmp_path):
    content = generate(tmp_path / "a", 300)
    assert snapshot(content) == snapshot(generate(tmp_path / "b", 300))
    roster = (content / "people.toml").read_text()
    assert 20 <= roster.count("[[person]]") <= 40 and 'role = "supervisor"' in roster
    entries = sorted((content / "entries").rglob("*.md"))
    assert len(entries) == 300
    years, tags, lessons, words = set(), Counter(), [], []
    for entry in entries:
        header, _, body = entry.read_text().partition("\n\n")
        meta = dict(line.split(": ", 1) for line in header.splitlines())
        years.add(meta["Date"][:4])
        tags.update(tag.strip() for tag in meta["Tags"].split(","))
        lessons.append(len(re.findall(r"^- ", body.split("## Lessons learned")[1], re.M)))
        words.append(len(body.split()))
    assert len(years) >= 9 and set(tags) <= set(TAGS) and len(tags) >= 35
    assert min(lessons) >= 1 and max(lessons) <= 4 and min(words) >= 300
    comment_counts = Counter(path.parent.name for path in (content / "comments").rglob("*.md"))
    assert max(comment_counts.values()) <= 4 and len(comment_counts) < 300  # some entries have none
    endorsed = {
        p.parent.name
        for p in (content / "comments").rglob("*.md")
        if "Endorsement: yes" in p.read_text()
    }
    assert 0.25 < len(endorsed) / 300 < 0.42


def test_a_tiny_benchmark_runs_and_writes_its_figures(tmp_path):
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [BIN / "invoke", "bench", "--entries", "30", "--repeat", "2", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "Generating a journal of 30 entries" in result.stdout
        and "Full build, wall time" in result.stdout
    )
    figures = json.loads(out.read_text())
    assert figures["entries"] == 30 and figures["comments"] > 0 and figures["rounds"] == 2
    for build in (
        "plain_pelican",
        "casebook",
        "casebook_rebuild_one_edit",
        "casebook_rebuild_next_edit",
    ):
        assert figures[build]["wall_seconds"] > 0 and figures[build]["peak_memory_mb"] > 0
        assert figures[build]["cpu_seconds"] > 0
        assert (
            len(figures[build]["all_wall_seconds"]) == 2
        )  # the median of two rounds, and both rounds
    assert figures["casebook"]["cpu_seconds_children"] > 0  # Pagefind ran
    assert set(figures["casebook"]["stages"]) == {
        "setup",
        "checking and reading",
        "writing",
        "waiting for the search index, and swap",
    }
    search = figures["search"]
    assert search["bundle_bytes"] > search["bundle_bytes_without_unused_ui"] > 0
    assert search["whole_site_json_bytes"] > 0
    if (first := search["first_query"]) is not None:
        assert first["query_bytes"] > 0 and first["total_bytes"] > first["query_bytes"]
    assert figures["ratios"]["build_time_casebook_over_pelican"] > 0
    assert figures["ratios"]["cpu_time_casebook_over_pelican"] > 0
    # The preview under `invoke livereload`: several edits, each served, then searchable.
    edits = figures["preview_edits"]
    assert (
        len(edits["preview_after_edit_seconds"])
        == len(edits["site_after_edit_seconds"])
        == len(edits["search_after_edit_seconds"])
        == len(edits["index_after_edit_seconds"])
        == len(edits["preview_after_edit_cpu_seconds"])
        >= 3
    )
    assert figures["preview_after_edit_cpu_seconds"] > 0
    assert all(
        0 < shown <= min(whole, searched) and max(whole, searched) <= indexed
        for shown, whole, searched, indexed in zip(
            edits["preview_after_edit_seconds"],
            edits["site_after_edit_seconds"],
            edits["search_after_edit_seconds"],
            edits["index_after_edit_seconds"],
        )
    )
    assert figures["preview_after_edit_ratio"] == figures["ratios"]["preview_after_edit_ratio"] > 0
    assert figures["search_after_edit_seconds"] >= figures["preview_after_edit_seconds"] > 0
    assert "Preview: save to page served" in result.stdout
    assert "Preview: save to whole site rebuilt" in result.stdout
    assert "Preview: save to whole search index rebuilt" in result.stdout


def test_the_supervision_benchmark_times_each_features_steps_in_real_builds(tmp_path):
    out = tmp_path / "supervision.json"
    result = subprocess.run(
        [
            BIN / "python",
            "-m",
            "benchmark.supervision",
            "--entries",
            "30",
            "--repeat",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())
    for build in ("full_build", "rebuild_one_edit"):
        assert figures[build]["wall_seconds"] > 0
        assert set(figures[build]["timed_seconds"]) == set(figures["steps"].values())
    assert all(
        step["wall_seconds"] > 0 and step["cpu_seconds"] > 0  # each step ran
        for step in figures["full_build"]["timed_seconds"].values()
    )
    assert "review queue: page, Atom feed, count" in result.stdout
