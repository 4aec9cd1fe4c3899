"""The edited page first (tools/edited_first.py): in the preview, the page of an entry just saved
is drawn before the rest of the site is built, and served until the build is swapped in.

The builds are real and run in this process, as in `invoke livereload`; the preview of the last
tests is the real one (tools/preview.py), watching the content folder and read over HTTP. Its
builds wait at a gate the test opens, so what it serves before the build is known, not timed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest
from conftest import build, site_files
from pelican.plugins.casebook.indexes.search import IndexInBackground
from pelican.plugins.casebook.tools.edited_first import AT_MOST, EditedFirst
from pelican.plugins.casebook.tools.preview import LATEST_BUILD, follow_builds
from pelican.plugins.casebook.tools.search_edits import EDITS as EDITS_FILE
from pelican.plugins.casebook.tools.search_edits import SERVED_AT, SORT_DATE, sort_date
from test_check_memory import replace_in
from test_preview_search import assert_equals_a_fresh_build, search_caught_up
from test_search import result_titles
from test_tasks import free_port

ENTRY = "content/entries/2025/2025-02-11-silence-on-the-line.md"
PAGE = "2025/02/silence-on-the-line/index.html"
DRAFT = "content/entries/2026/2026-11-02-unfinished-notes-on-callbacks.md"
SENTENCE = "I could hear she was still there."


def preview_build(project: Path) -> str:
    """One build as `invoke livereload` makes it: "", or why it failed."""
    try:
        build(
            project / "content",
            project / "output",
            THEME=str(project / "theme"),
            CASEBOOK_SEARCH_LATER=True,
        )
    except (Exception, SystemExit) as error:  # the preview shows it and goes on
        return str(error) or type(error).__name__
    return ""


@pytest.fixture
def first(project):
    """The early drawer of a preview of the project, after its first build."""
    drawer = EditedFirst(project / "output")
    drawer.build_ended(preview_build(project))
    assert drawer.last is not None
    yield drawer
    search_caught_up(project / "output")


def comment(project: Path, name: str, header: str, text: str) -> Path:
    path = project / "content/comments/silence-on-the-line" / f"{name}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"{header}\n\n{text}\n", encoding="utf-8")
    return path


# Each change gives the files it changed; the page drawn must be the build's, byte for byte.
CHANGES = {
    "an entry's text": lambda p: [replace_in(p / ENTRY, SENTENCE, "I could hear she was there.")],
    "an entry's summary": lambda p: [replace_in(p / ENTRY, "right call.", "right call, again.")],
    "a new comment": lambda p: [
        comment(p, "marcus-reed", "Author: Marcus Reed\nDate: 2025-02-12 10:00", "Well waited.")
    ],
    "an endorsement": lambda p: [
        comment(
            p,
            "tom-okafor",
            "Author: Tom Okafor\nDate: 2025-02-12 11:00\nEndorsement: yes",
            "Everyone on the phones should read how long she waited.",
        )
    ],
    "a tag spelt unlike the journal": lambda p: [
        replace_in(p / ENTRY, "Tags: anxious caller,", "Tags: Anxious Caller,")
    ],
    "a draft's text": lambda p: [replace_in(p / DRAFT, "Still writing", "Still drafting")],
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_changed_entry_is_drawn_first_as_the_build_draws_it(project, first, change):
    changed = CHANGES[change](project)
    drawn = first.draw(changed)
    assert len(drawn) == 1, "the changed entry's page, and no other"
    assert preview_build(project) == ""
    for page, html in drawn.items():
        assert html == (project / "output" / page).read_bytes()


def test_a_new_entry_is_drawn_first_at_its_own_address(project, first):
    drawn = first.draw([new_entry(project, "A new one")])
    assert list(drawn) == ["2025/02/a-new-one/index.html"]
    assert b"<h1 data-pagefind-meta" in drawn["2025/02/a-new-one/index.html"]
    assert b"A new one</h1>" in drawn["2025/02/a-new-one/index.html"]


NOT_DRAWN = {
    "a mistake in the entry": lambda p: [
        replace_in(p / ENTRY, "Date: 2025-02-11", "Date: 2025-02-31")
    ],
    "an author not in people.toml": lambda p: [
        replace_in(p / ENTRY, "Author: Priya Nair", "Author: Priya Nairn")
    ],
    "a slug another entry has (a cross-file problem)": lambda p: [
        replace_in(p / ENTRY, "Title: Silence on the line", "Title: Refund by Friday")
    ],
    "a comment by someone unknown": lambda p: [
        comment(p, "someone", "Author: Someone Else\nDate: 2025-02-12 10:00", "Hello.")
    ],
    "a file that is not an entry nor a comment": lambda p: [
        replace_in(p / "content/people.toml", 'name = "Dev Patel"', 'name = "Dev Patel"\n')
    ],
    "an entry removed": lambda p: [(p / ENTRY).unlink() or p / ENTRY],
    "more entries than are drawn first": lambda p: [
        new_entry(p, f"Entry number {number}") for number in range(AT_MOST + 1)
    ],
}


def new_entry(project: Path, title: str) -> Path:
    path = project / f"content/entries/2025/2025-03-01-{title.lower().replace(' ', '-')}.md"
    text = (project / ENTRY).read_text(encoding="utf-8")
    path.write_text(text.replace("Silence on the line", title, 1), encoding="utf-8")
    return path


def test_an_entry_saved_through_a_file_renamed_over_it_is_drawn_first(project, first):
    """Many editors, and the writing desk, write a new file beside the entry and rename it over the
    entry: the watcher reports that file too, gone by the time the preview looks."""
    entry = project / ENTRY
    written = entry.with_name(f".{entry.name}.desk")
    written.write_text(entry.read_text().replace(SENTENCE, "I could hear the zanzibar parrot."))
    written.replace(entry)
    assert "zanzibar parrot" in first.draw([written, entry])[PAGE].decode()


@pytest.mark.parametrize("change", NOT_DRAWN, ids=list(NOT_DRAWN))
def test_nothing_is_drawn_first_when_the_build_would_refuse_it_or_more_changed(
    project, first, change
):
    assert first.draw(NOT_DRAWN[change](project)) == {}


class Preview:
    """The real preview (follow_builds) in a thread of this process, whose builds wait at a gate:
    `allow()` lets the next build run."""

    def __init__(self, project: Path, first_build: bool = True):
        self.project, self.port = project, free_port()
        self.gate = threading.Semaphore(0)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        files = {"path": str(project / "output"), "default_filename": "index.html"}
        self.running = asyncio.run_coroutine_threadsafe(
            follow_builds(
                files, "localhost", self.port, self.gated_build, (str(project / "content"),)
            ),
            self.loop,
        )
        for _ in range(100):  # until it listens
            with (
                contextlib.suppress(ConnectionRefusedError),
                socket.create_connection(("localhost", self.port)),
            ):
                break
            time.sleep(0.1)
        self.shown = self.newer_than("none")  # its name before its first build
        if first_build:
            self.allow()
            self.next()

    def gated_build(self) -> str:
        self.gate.acquire()
        return preview_build(self.project)

    def allow(self) -> None:
        self.gate.release()

    def get(self, address: str) -> str:
        with urllib.request.urlopen(f"http://localhost:{self.port}{address}", timeout=60) as reply:
            return reply.read().decode()

    def newer_than(self, shown: str, within: float = 300) -> str:
        """As a page of the preview asks: the name of the next build in place (or early pages)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            latest = self.get(f"{LATEST_BUILD}?shown={shown}")
            if latest != shown:
                return latest
        raise AssertionError(f"no build after {shown} within {within} s")

    def next(self) -> None:
        self.shown = self.newer_than(self.shown)

    def shows(self, page: str) -> str:
        """What the page as served now says it shows, in its script (tools/preview.py)."""
        return re.search(r'shows: "([0-9a-f]+)"', self.get("/" + page))[1]

    def reloads(self, page: str, shows: str, after: str) -> bool:
        """Whether a page that showed `shows` in build `after` reloads now (its script's
        question)."""
        answer = self.get(f"{LATEST_BUILD}?shown={after}&page={page}&shows={shows}")
        return not answer.endswith(" same")

    def stop(self) -> None:
        self.allow()  # a build waiting at the gate ends
        self.running.cancel()
        self.loop.call_soon_threadsafe(self.loop.stop)
        search_caught_up(self.project / "output")


@pytest.fixture
def preview(project):
    running = Preview(project)
    yield running
    running.stop()


def test_the_edited_page_is_served_before_the_build_and_the_site_ends_as_a_fresh_build(
    project, preview, tmp_path
):
    output = project / "output"
    before = (output / PAGE).read_bytes()
    replace_in(project / ENTRY, SENTENCE, "I could hear the zanzibar parrot.")
    preview.next()  # the page drawn first; the build waits at the gate
    assert "zanzibar parrot" in preview.get("/" + PAGE.removesuffix("index.html"))
    assert (output / PAGE).read_bytes() == before, "the served folder is only written by builds"
    early, shows = preview.shown, preview.shows(PAGE)

    preview.allow()
    preview.next()  # the build is swapped in
    assert not preview.reloads(PAGE, shows, after=early), "the page drawn first is the build's"
    assert preview.reloads(PAGE, "0" * 32, after=early), "a page that differs reloads"
    assert "zanzibar parrot" in (output / PAGE).read_text(encoding="utf-8")
    assert "zanzibar parrot" in preview.get("/" + PAGE)
    search_caught_up(output)
    assert_equals_a_fresh_build(project, output, tmp_path / "fresh")


def test_a_build_that_fails_after_the_page_was_drawn_leaves_the_served_site_as_it_was(
    project, preview
):
    output = project / "output"
    served = site_files(output)
    replace_in(project / ENTRY, SENTENCE, "I could hear the zanzibar parrot.")
    preview.next()
    assert "zanzibar parrot" in preview.get("/" + PAGE)
    early, shows = preview.shown, preview.shows(PAGE)
    # The theme is not watched here: the page was drawn with the template as it was, and the build
    # that follows meets the broken one.
    replace_in(project / "theme/templates/article.html", "{% endblock %}", "{% endblok %}")
    preview.allow()
    preview.next()
    page = preview.get("/" + PAGE)
    assert "zanzibar parrot" not in page, "the page drawn first is dropped with its build"
    assert "The last build failed" in page
    assert preview.reloads(PAGE, shows, after=early), "to show the last good page and why"
    assert site_files(output) == served
    assert json.loads(preview.get(EDITS)) == {}, "nor does search find it"


def test_in_the_browser_the_page_drawn_first_stays_when_its_build_is_in_place(
    project, preview, browser
):
    replace_in(project / ENTRY, SENTENCE, "I could hear the zanzibar parrot.")
    preview.next()
    page = browser.new_page()
    try:
        page.goto(f"http://localhost:{preview.port}/{PAGE}")
        assert "zanzibar parrot" in page.inner_text("main")
        page.evaluate("window.notReloaded = true")
        early = preview.shown

        def asks_after_the_build(request) -> bool:
            return "shown=" in request.url and f"shown={early}&" not in request.url

        with page.expect_request(asks_after_the_build, timeout=120_000):
            preview.allow()  # the build; then the page's script asks about the one after it
            preview.next()
        assert page.evaluate("window.notReloaded === true"), "the page reloaded for nothing"
    finally:
        page.close()


def test_an_open_archive_reloads_when_search_catches_up_and_other_pages_stay(
    project, preview, browser
):
    """The archive loaded the search bundle of the build before: once a newer one is swapped in,
    the files it names are gone, so it reloads (its search in its address) and finds the edit."""
    output, other = project / "output", "2022/03/what-is-a-tracking-number-anyway/index.html"
    search_caught_up(output)  # the first build's index
    before = {page: (output / page).read_bytes() for page in ("archive/index.html", other)}
    errors, tabs = [], {"archive/?q=zanzibar": browser.new_page(), other: browser.new_page()}
    for address, tab in tabs.items():
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.goto(f"http://localhost:{preview.port}/{address}")
        tab.evaluate("window.notReloaded = true")
    archive = tabs["archive/?q=zanzibar"]
    assert result_titles(archive) == []
    try:
        replace_in(project / ENTRY, SENTENCE, "I could hear the zanzibar parrot.")
        preview.next()
        preview.allow()
        preview.next()
        search_caught_up(output)
        assert {page: (output / page).read_bytes() for page in before} == before, (
            "neither page changed: only the search bundle can make one reload"
        )
        archive.wait_for_function("window.notReloaded !== true", timeout=120_000)
        archive.locator("#search[data-ready]").wait_for(state="attached")
        assert result_titles(archive) == ["Silence on the line"]
        with tabs[other].expect_request(lambda request: "shown=" in request.url, timeout=120_000):
            pass  # its script has had the answer since the bundle was swapped in, and asks again
        assert tabs[other].evaluate("window.notReloaded === true"), "it reloaded for nothing"
        assert errors == []
    finally:
        for tab in tabs.values():
            tab.close()


def test_a_page_that_loaded_the_search_index_gets_its_files_after_a_newer_one_is_in_place(
    project, preview
):
    """The index names its files anew each time: the Archive, loading the one before, would get
    404s (an open Archive reloads, but it may be loading at that very moment)."""
    output = project / "output"
    search_caught_up(output)
    entry = json.loads((output / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    files = ["pagefind/pagefind-entry.json"]  # what the Archive asks for, in that order
    files += [
        f"pagefind/pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()
    ]
    before = {file: (output / file).read_bytes() for file in files}
    replace_in(project / ENTRY, SENTENCE, "I could hear the zanzibar parrot.")
    preview.next()
    preview.allow()
    preview.next()
    search_caught_up(output)
    assert not any((output / file).exists() for file in files[1:]), "the new index's are others"
    for file in files[1:]:
        address = f"http://localhost:{preview.port}/{file}"
        with urllib.request.urlopen(address, timeout=60) as reply:
            assert reply.read() == before[file]


def test_a_file_saved_during_the_first_build_is_built_next(project):
    preview = Preview(project, first_build=False)  # its first build waits at the gate
    try:
        replace_in(project / ENTRY, SENTENCE, "I could hear the zanzibar parrot.")
        preview.allow()
        preview.next()  # the first build
        preview.allow()
        preview.shown = preview.newer_than(preview.shown, within=60)  # the one the save asked for
        assert "zanzibar parrot" in preview.get("/" + PAGE)
    finally:
        preview.stop()


EDITS = SERVED_AT + EDITS_FILE
SEARCHES = (  # what each shows: titles in order (by date, but for the words), status, filters
    "archive/?q=zanzibar",
    "archive/?q=still+there",
    "archive/?q=call&sort=newest",
    "archive/?tag=phone+manner",
    "archive/",
)


def test_search_finds_an_edit_before_its_build_as_the_whole_index_finds_it_after(
    project, preview, browser
):
    """Before its build, the edited entry is in a small index merged over the served one, whose old
    copy of it is left out: dates, filters and counts as the whole index gives them later."""

    def seen(address: str) -> tuple:
        tab = browser.new_page()  # its own: a page of the preview reloads when the index changes
        try:
            tab.goto(f"http://localhost:{preview.port}/{address}")
            titles = result_titles(tab)
            if "sort=" not in address and "q=" in address:
                titles = sorted(titles)  # by relevance, which only the whole index gives exactly
            return titles, tab.inner_text("#search-status"), tab.inner_text("#search-filters")
        finally:
            tab.close()

    search_caught_up(project / "output")  # the first build's index
    built = (project / "output" / PAGE).read_bytes()  # dated as the small index places it
    assert sort_date(built) == datetime(2025, 2, 11, 14, 45).strftime(SORT_DATE)
    assert seen("archive/?q=medication")[0] == ["Silence on the line"]
    text = (project / ENTRY).read_text(encoding="utf-8").replace("medication", "zanzibar parrot")
    (project / ENTRY).write_text(text, encoding="utf-8")  # one save
    preview.next()  # the page drawn first; its build waits at the gate
    edits = wait_for_edits(preview, lambda edits: "bundle" in edits)
    assert len(edits["replaced"]) == 1 and len(edits["dated"]) == 1
    early = {address: seen(address) for address in SEARCHES}
    assert early["archive/?q=zanzibar"][0] == ["Silence on the line"], "found before its build"

    preview.allow()
    preview.next()
    search_caught_up(project / "output")
    wait_for_edits(preview, lambda edits: edits == {})  # the whole index has it all
    assert {address: seen(address) for address in SEARCHES} == early


def test_an_entry_made_a_draft_leaves_search_before_its_build(project, preview, browser):
    def titles(address: str) -> list[str]:
        tab = browser.new_page()
        try:
            tab.goto(f"http://localhost:{preview.port}/{address}")
            return result_titles(tab)
        finally:
            tab.close()

    search_caught_up(project / "output")  # the first build's index
    assert "Silence on the line" in titles("archive/?q=silence")
    replace_in(project / ENTRY, "Channel: phone\n", "Channel: phone\nStatus: draft\n")
    preview.next()
    edits = wait_for_edits(preview, lambda edits: edits != {})
    assert "bundle" not in edits and len(edits["replaced"]) == 1, "a draft is no search result"
    early = titles("archive/?q=silence")
    assert "Silence on the line" not in early
    preview.allow()
    preview.next()
    search_caught_up(project / "output")
    wait_for_edits(preview, lambda edits: edits == {})
    assert titles("archive/?q=silence") == early


def test_entries_saved_while_the_whole_index_is_made_are_all_searchable_until_it_is(
    project, preview, browser
):
    """Saved one after the other, before the whole index has caught up with the first: the small
    index holds both, then only what the whole index has not, then nothing."""
    other = "content/entries/2022/2022-03-14-what-is-a-tracking-number-anyway.md"

    def found() -> dict[str, list[str]]:
        tab = browser.new_page()
        try:
            titles = {}
            for word in ("zanzibar", "okapi"):
                tab.goto(f"http://localhost:{preview.port}/archive/?q={word}")
                titles[word] = result_titles(tab)
            return titles
        finally:
            tab.close()

    both = {"zanzibar": ["Silence on the line"], "okapi": ["What is a tracking number, anyway?"]}
    search_caught_up(project / "output")
    with IndexInBackground.swapping:  # the whole index, made after the first save, waits here
        replace_in(project / ENTRY, SENTENCE, "I could hear the zanzibar parrot.")
        preview.next()
        preview.allow()
        preview.next()  # its build is in place; the whole index has not caught up
        replace_in(project / other, "There was a long pause.", "The okapi paused.")
        preview.next()  # the second entry's page, drawn first
        wait_for_edits(preview, lambda edits: len(edits.get("dated", ())) == 2)
        assert found() == both
    search_caught_up(project / "output")  # the whole index with the first save only
    wait_for_edits(preview, lambda edits: len(edits.get("dated", ())) == 1)
    assert found() == both
    preview.allow()
    preview.next()
    search_caught_up(project / "output")
    wait_for_edits(preview, lambda edits: edits == {})
    assert found() == both


def wait_for_edits(preview: Preview, condition, within: float = 120) -> dict:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        edits = json.loads(preview.get(EDITS))
        if condition(edits):
            return edits
        time.sleep(0.05)
    raise AssertionError(f"the preview's search edits stayed {edits}")
