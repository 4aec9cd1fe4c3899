"""A rebuild with the caches pelicanconf.py turns on gives exactly the site a build from scratch
gives.

One copy of the sample journal goes through a series of changes; after each,
a cached rebuild (the real `pelican` command) is compared file by file with a
fresh build of the same content, and the pages it drew again are counted.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from conftest import BIN, ROOT, build, site_files, snapshot
from pelican import Pelican
from pelican.settings import read_settings

ENTRY = "content/entries/2025/2025-02-11-silence-on-the-line.md"
PATH = "content/paths/first-weeks.toml"  # the sample's reading path
IN_PATH = "content/entries/2022/2022-03-14-what-is-a-tracking-number-anyway.md"  # its first entry
# At most this many pages and feeds drawn again for a change to one entry (pagination 2; the feeds
# of all entries and of its tags; the review queue; for IN_PATH, up to three tags, the path's page
# and handout and the next entry's page; and the pages that show it under "Read next": the entries
# before and after it, and those it is related to, at most the sample's seven other entries).
FEW = 27


def pelican(project: Path, output: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            BIN / "pelican",
            str(project / "content"),
            "-s",
            str(project / "pelicanconf.py"),
            "-o",
            str(output),
            "--verbose",
            *extra,
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "400"},
    )  # one log message per line


def fresh_build(project: Path, output: Path) -> None:
    settings = read_settings(
        str(project / "pelicanconf.py"),
        override={
            "PATH": str(project / "content"),
            "OUTPUT_PATH": str(output),
            "DEFAULT_PAGINATION": 2,
            "CACHE_CONTENT": False,
            "LOAD_CONTENT_CACHE": False,
        },
    )
    Pelican(settings).run()


def searchable_pages(folder: Path) -> int:
    """How many pages Pagefind indexed: a removed entry's page left behind would be one too many."""
    return json.loads((folder / "pagefind" / "pagefind-entry.json").read_text())["languages"]["en"][
        "page_count"
    ]


def search_bundle(folder: Path) -> dict[str, object]:
    """Pagefind's files named by their contents (fragments and word index), and how many others it
    made.

    Filter files are named anew on every run, so only their number compares.
    """
    bundle = folder / "pagefind"
    hashed = {
        str(path.relative_to(bundle)): path.read_bytes()
        for part in ("fragment", "index")
        for path in (bundle / part).iterdir()
    }
    return {
        **hashed,
        "filters": len(list((bundle / "filter").iterdir())),
        "metadata": len(list(bundle.glob("*.pf_meta"))),
    }


def fragment_files(folder: Path) -> dict[str, int]:
    """Each search fragment's file (inode), to tell a file kept from the last build from one
    written again."""
    return {path.name: path.stat().st_ino for path in (folder / "pagefind" / "fragment").iterdir()}


def edit(relative: str, old: str, new: str):
    def change(project: Path) -> None:
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def write(relative: str, text: str):
    def change(project: Path) -> None:
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text, encoding="utf-8")

    return change


def remove(relative: str):
    return lambda project: (project / relative).unlink()


NEW_ENTRY = (
    "Title: A new entry\nDate: 2026-11-20 09:00\nAuthor: Priya Nair\nTags: refunds\nChannel: "
    "phone\n\n"
    "A short story.\n\n## Lessons learned\n\n- Something new\n"
)
# What changed, how, and how many pages may be drawn again: "few" (at most FEW),
# "some" (pages shift: any number) or "all" (a site-wide change: none kept).
CHANGES = [
    ("nothing", lambda project: None, "none"),
    (
        "an entry's text",
        edit(ENTRY, "I could hear she was still there.", "I could hear her breathing."),
        "few",
    ),
    (
        "an entry's lessons",
        edit(
            ENTRY,
            "## Lessons learned",
            "## Lessons learned\n\n- A lesson added first\n\n## More lessons learned",
        ),
        "few",
    ),
    (
        "an entry's tags",
        edit(ENTRY, "Tags: anxious caller, phone manner", "Tags: anxious caller, refunds"),
        "few",
    ),
    # Written first, so shown everywhere: the entry above shows it too, though its file did not
    # change.
    (
        "a tag spelt another way",
        edit(
            "content/entries/2022/2022-03-14-what-is-a-tracking-number-anyway.md",
            "anxious caller",
            "Anxious Caller",
        ),
        "some",
    ),
    (
        "a staff member's comment (the review queue's count of comments)",
        write(
            "content/comments/silence-on-the-line/ana-sousa.md",
            "Author: Ana Sousa\nDate: 2025-02-12 09:00\n\nSame here.\n",
        ),
        "few",
    ),
    (
        "a new comment",
        write(
            "content/comments/silence-on-the-line/tom-okafor.md",
            "Author: Tom Okafor\nDate: 2025-02-12 10:00\n\nWell handled.\n",
        ),
        "few",
    ),
    (
        "an endorsement",
        write(
            "content/comments/silence-on-the-line/julie-hill.md",
            "Author: Julie Hill\nDate: 2025-02-13 10:00\nEndorsement: yes\n\nTrain on this.\n",
        ),
        "few",
    ),
    (
        "an entry's words, which change which entries are related to it (read next)",
        edit(
            ENTRY,
            "I could hear her breathing.",
            "I could hear her breathing. She wanted a refund by Friday for the tracking number.",
        ),
        "few",
    ),
    (
        "an entry's title",
        edit(
            ENTRY,
            "Title: Silence on the line",
            "Title: Silence on the phone\nSlug: silence-on-the-line",
        ),
        "few",
    ),
    (
        "a reading path's note",
        edit(PATH, 'note = "Endorsed by a supervisor.', 'note = "Endorsed.'),
        "few",
    ),
    (
        "a reading path's order",
        edit(
            PATH, 'slug = "the-chat-widget-that-said-we-were-closed"', 'slug = "refund-by-friday"'
        ),
        "few",
    ),
    (
        "the title of an entry in a reading path (shown on the next entry's page)",
        edit(
            IN_PATH,
            "Title: What is a tracking number, anyway?",
            "Title: What is a tracking number?\nSlug: what-is-a-tracking-number-anyway",
        ),
        "few",
    ),
    (
        "a new reading path",
        write(
            "content/paths/refunds.toml",
            'title = "Refunds"\nintro = "Money matters."\n\n[[entry]]\nslug = "refund-by-friday"\n',
        ),
        "few",
    ),
    ("a new entry", write("content/entries/2026/2026-11-20-a-new-entry.md", NEW_ENTRY), "some"),
    ("an entry's date", edit(ENTRY, "Date: 2025-02-11 14:45", "Date: 2024-02-11 14:45"), "some"),
    ("an entry removed", remove("content/entries/2026/2026-11-20-a-new-entry.md"), "some"),
    (
        "a person's role",
        edit(
            "content/people.toml",
            'name = "Priya Nair"\nrole = "staff"',
            'name = "Priya Nair"\nrole = "supervisor"',
        ),
        "all",
    ),
    (
        "a guide page's title",
        edit(
            "content/pages/how-to-write-an-entry.md",
            "Title: How to write an entry",
            "Title: Writing an entry",
        ),
        "all",
    ),
    (
        "a template",
        edit(
            "theme/templates/article.html",
            '<div class="entry-body">',
            '<div class="entry-body" lang="en">',
        ),
        "all",
    ),
    (
        "a stylesheet",
        edit("theme/static/css/casebook.css", "--bg: #fdfdfb;", "--bg: #fdfdfa;"),
        "all",
    ),  # its address
]


def test_a_cached_rebuild_equals_a_fresh_build_after_each_kind_of_change(project, tmp_path):
    cached = [
        "--cache-path",
        str(tmp_path / "cache"),
        "-e",
        "DEFAULT_PAGINATION=2",
    ]  # caching: pelicanconf.py
    output = project / "output"
    first = pelican(project, output, *cached)
    assert first.returncode == 0, first.stderr
    for number, (what, change, drawn_again) in enumerate(CHANGES):
        change(project)
        last_fragments = fragment_files(output)
        result = pelican(project, output, *cached)
        assert result.returncode == 0, f"{what}: {result.stdout[-3000:]} {result.stderr}"
        fresh = tmp_path / f"fresh-{number}"
        fresh_build(project, fresh)
        assert site_files(output) == site_files(fresh), (
            f"after a change to {what}, the cached rebuild differs"
        )
        assert searchable_pages(output) == searchable_pages(fresh), (
            f"after a change to {what}, search differs"
        )
        assert search_bundle(output) == search_bundle(fresh), (
            f"after a change to {what}, the search files differ"
        )
        kept_fragments = fragment_files(output).items() & last_fragments.items()
        assert len(kept_fragments) >= len(last_fragments) - 2, (
            f"after a change to {what}, fragments written again"
        )
        kept, in_place, drawn = map(
            int,
            re.search(
                r"kept (\d+) unchanged pages from the last builds \((\d+) already in place\), "
                r"drew (\d+)",
                result.stdout + result.stderr,
            ).groups(),
        )
        expected = {"none": drawn == 0, "few": 0 < drawn <= FEW, "some": kept > 0, "all": kept == 0}
        # Feeds are fingerprinted like pages, so that none is drawn again when nothing changed.
        fingerprinted = json.loads((output / ".casebook-pages.json").read_text())["pages"]
        pelicans_feeds = {
            path.relative_to(output).as_posix()
            for path in (output / "feeds").rglob("*.atom.xml")
            if path.name not in ("endorsed.atom.xml", "review.atom.xml")
        }  # ours: drawn each time
        assert pelicans_feeds and pelicans_feeds <= set(fingerprinted)
        assert expected[drawn_again], f"after a change to {what}: kept {kept} pages, drew {drawn}"
        # From the second rebuild on, the staging folder holds the build before last: most pages are
        # there.
        if number > 0 and drawn_again != "all":
            assert in_place > 0, f"after a change to {what}: no page was left in place"


def test_a_cached_rebuild_that_fails_late_leaves_the_last_build_as_it_was(project, tmp_path):
    """A build that fails after every page is written or kept leaves the live site untouched."""
    cached = ["--cache-path", str(tmp_path / "cache")]  # caching: pelicanconf.py
    output = project / "output"
    assert pelican(project, output, *cached).returncode == 0
    # The rebuild links the unchanged pages: the staging folder now shares files with the live site.
    assert pelican(project, output, *cached).returncode == 0
    before = snapshot(output)
    edit(ENTRY, "I could hear she was still there.", "I could hear her breathing.")(project)
    # Pagefind runs last, after every page is written or kept: a broken config file of its own makes
    # it
    # fail (changing the build's settings would not do: every page would be drawn into a new file).
    (project / "pagefind.yml").write_text("glob: [unclosed\n")
    result = pelican(project, output, *cached)
    assert (
        result.returncode == 1 and "Error loading Pagefind config" in result.stderr + result.stdout
    )
    assert snapshot(output) == before
    (project / "pagefind.yml").unlink()
    assert pelican(project, output, *cached).returncode == 0
    assert (
        "I could hear her breathing."
        in (output / "2025/02/silence-on-the-line/index.html").read_text()
    )


def test_search_files_another_pagefind_version_made_are_not_reused(project, tmp_path):
    cached = ["--cache-path", str(tmp_path / "cache")]  # caching: pelicanconf.py
    output = project / "output"
    assert pelican(project, output, *cached).returncode == 0
    entry_file = output / "pagefind" / "pagefind-entry.json"
    entry_file.write_text(entry_file.read_text().replace('"version":"', '"version":"0.'))
    last_fragments = fragment_files(output)
    assert pelican(project, output, *cached).returncode == 0
    assert not fragment_files(output).items() & last_fragments.items()
    fresh_build(project, tmp_path / "fresh")
    assert search_bundle(output) == search_bundle(tmp_path / "fresh")


def test_where_files_cannot_be_linked_they_are_copied_or_written_anew(site, tmp_path, monkeypatch):
    """Some network drives refuse hard links: the rebuild copies the pages and Pagefind writes all
    its files."""
    output = build(ROOT / "content", tmp_path / "output")  # caching: pelicanconf.py
    last_fragments = fragment_files(output)

    def refuse(source, target):
        raise PermissionError(1, "Operation not permitted", str(target))

    monkeypatch.setattr(os, "link", refuse)
    build(ROOT / "content", output)
    assert not fragment_files(output).items() & last_fragments.items()
    assert search_bundle(output) == search_bundle(site)
    assert site_files(output) == site_files(site)
