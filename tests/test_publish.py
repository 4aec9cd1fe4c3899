"""`invoke publish` and `invoke rollback` with real rsync, into a local target folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BIN, html, run_invoke, snapshot

pytestmark = pytest.mark.skipif(shutil.which("rsync") is None and os.environ.get("CI") != "true",
                                reason="rsync is not installed (apt-get install rsync)")


def releases(target: Path) -> list[str]:
    return sorted(p.name for p in (target / "releases").iterdir() if not p.name.startswith("."))


def live(target: Path) -> str:
    return os.readlink(target / "current").removeprefix("releases/")


def publish(project: Path, target: Path):
    result = run_invoke(project, "publish", "--target", str(target), timeout=300)
    time.sleep(1.1)  # release names are to the second
    return result


def test_publish_makes_a_checked_release_and_points_current_at_it(project, tmp_path):
    target = tmp_path / "target"
    result = publish(project, target)
    assert result.returncode == 0, result.stdout + result.stderr
    [release] = releases(target)
    assert live(target) == release
    assert f"Published release {release}" in result.stdout and "files changed" in result.stdout
    site = target / "current"
    assert html(site / "index.html").select_one('link[rel="stylesheet"]')["href"].startswith("https://")
    assert (site / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert html(site / "index.html").find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert not (site / "drafts").exists()
    assert not any("zebracorn" in p.read_text(errors="ignore") for p in site.rglob("*") if p.is_file()
                   and p.suffix in (".html", ".xml", ".json"))


def test_second_publish_switches_and_rollback_goes_back(project, tmp_path):
    target = tmp_path / "target"
    assert publish(project, target).returncode == 0
    first = live(target)
    first_files = snapshot(target / "releases" / first)
    entry = project / "content/entries/2025/2025-02-11-silence-on-the-line.md"
    entry.write_text(entry.read_text().replace("Title: Silence on the line", "Title: Quiet on the line"))
    second_run = publish(project, target)
    assert second_run.returncode == 0, second_run.stdout + second_run.stderr
    second = live(target)
    assert releases(target) == [first, second] and second != first
    assert "Quiet on the line" in (target / "current/index.html").read_text()
    assert snapshot(target / "releases" / first) == first_files  # the old release is whole
    assert f"since {first}" in second_run.stdout

    drafts = [p for p in (target / "releases").rglob("*") if "drafts" in p.parts or p.name.startswith("unfinished")]
    assert drafts == []

    rolled = run_invoke(project, "rollback", "--target", str(target))
    assert rolled.returncode == 0 and f"now serves release {first}" in rolled.stdout
    assert live(target) == first and "Silence on the line" in (target / "current/index.html").read_text()


def test_a_check_error_blocks_publishing_and_leaves_the_target_alone(project, tmp_path):
    target = tmp_path / "target"
    assert publish(project, target).returncode == 0
    before = (live(target), snapshot(target / "releases"))
    entry = project / "content/entries/2025/2025-02-11-silence-on-the-line.md"
    entry.write_text(entry.read_text() + "\nHer mobile is 07700 900123.\n")
    result = publish(project, target)
    assert result.returncode == 1
    assert "phone number" in result.stdout and "Nothing was published" in result.stderr
    assert (live(target), snapshot(target / "releases")) == before


def test_a_publish_killed_mid_transfer_leaves_the_live_site_whole(project, tmp_path):
    target = tmp_path / "target"
    (project / "content/images").mkdir()
    (project / "content/images/recording.bin").write_bytes(os.urandom(3_000_000))
    assert publish(project, target).returncode == 0
    first = live(target)
    first_files = snapshot(target / "releases" / first)

    (project / "content/images/recording.bin").write_bytes(os.urandom(3_000_000))  # a slow, changed file
    settings = project / "publishconf.py"
    settings.write_text(settings.read_text().replace('CASEBOOK_PUBLISH_RSYNC_OPTIONS = ""',
                                                     'CASEBOOK_PUBLISH_RSYNC_OPTIONS = "--bwlimit=300"'))
    publishing = subprocess.Popen([BIN / "invoke", "publish", "--target", str(target)], cwd=project,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list((target / "releases").glob(".partial-*/*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)  # well into the transfer of the large file
    assert publishing.poll() is None, "the publish ended before it could be interrupted"
    os.killpg(publishing.pid, signal.SIGKILL)
    publishing.wait()

    assert live(target) == first
    assert snapshot(target / "current") == first_files
    assert releases(target) == [first]

    settings.write_text(settings.read_text().replace("--bwlimit=300", ""))
    again = publish(project, target)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not list((target / "releases").glob(".partial-*")) and live(target) != first


def test_only_the_newest_releases_are_kept(project, tmp_path):
    target = tmp_path / "target"
    settings = project / "publishconf.py"
    settings.write_text(settings.read_text().replace("CASEBOOK_PUBLISH_KEEP = 5", "CASEBOOK_PUBLISH_KEEP = 2"))
    for _ in range(3):
        assert publish(project, target).returncode == 0
    kept = releases(target)
    assert len(kept) == 2 and live(target) == kept[-1]
