"""The local preview as a user starts it (`invoke serve`, `invoke livereload`), read over HTTP and
in Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import feedparser
from bs4 import BeautifulSoup
from conftest import BIN, ROOT, build, snapshot
from playwright.sync_api import expect
from test_tasks import fetch, free_port

ENTRY = "content/entries/2025/2025-02-11-silence-on-the-line.md"
MARK = "casebook-preview"  # in everything the live preview adds to the pages it serves


@dataclass
class Preview:
    url: str
    log: Path

    def printed(self) -> str:
        return self.log.read_text(encoding="utf-8")


@contextmanager
def started(project: Path, task: str) -> Iterator[Preview]:
    """`invoke <task> --port <a free port>` in the project, once it serves; what it prints goes to
    a file."""
    port = free_port()
    log = project / f"{task}.log"  # beside the project's folders, not in one the preview watches
    with log.open("w") as printed:
        server = subprocess.Popen(
            [BIN / "invoke", task, "--port", str(port)],
            cwd=project,
            stdout=printed,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "400"},
        )
    try:
        preview = Preview(f"http://localhost:{port}", log)
        fetch(f"{preview.url}/")
        yield preview
    finally:
        server.terminate()
        server.wait(timeout=20)


def get(url: str) -> tuple[int, str]:
    """The status and the body of a reply, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as reply:
            return reply.status, reply.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_is_the_404_page(status: int, body: str) -> BeautifulSoup:
    assert status == 404
    page = BeautifulSoup(body, "html.parser")
    assert page.h1.get_text(strip=True) == "Page not found"
    search = page.select_one("main form[role=search]")
    assert search["action"] == "/archive/" and search.select_one("input[name=q]")
    assert page.select_one('main a[href="/"]'), "no link home"
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("/theme/css/casebook.css"), (
        "no layout"
    )
    return page


def test_serve_answers_an_unknown_address_with_the_sites_404_page(project):
    with started(project, "serve") as preview:
        for address in ("/no-such-entry/", "/2024/04/no-such-entry/", "/feeds/nothing.atom.xml"):
            page = assert_is_the_404_page(*get(preview.url + address))
            assert MARK not in str(page)  # serve adds nothing to the site


def test_feeds_and_lessons_point_at_the_port_served(project):
    with started(project, "serve") as preview:
        home = BeautifulSoup(fetch(f"{preview.url}/"), "html.parser")
        feed_links = [link["href"] for link in home.select('link[rel="alternate"]')]
        assert feed_links
        for href in feed_links:
            address = urljoin(f"{preview.url}/", href)
            feed = feedparser.parse(fetch(address))
            assert feed.feed.id == address, "a feed's id is its own address, at the port served"
            for entry in feed.entries:
                assert entry.link.startswith(f"{preview.url}/") and get(entry.link)[0] == 200, (
                    entry.link
                )
        lessons = json.loads(fetch(f"{preview.url}/lessons.json"))
        assert lessons and all(get(lesson["url"])[0] == 200 for lesson in lessons)
        assert all(lesson["url"].startswith(f"{preview.url}/") for lesson in lessons)


def test_livereload_answers_an_unknown_address_with_the_404_page_that_follows_the_builds(project):
    with started(project, "livereload") as preview:
        page = assert_is_the_404_page(*get(f"{preview.url}/no-such-entry/"))
        assert page.find("script", string=lambda text: text and "latest-build" in text)


def test_the_browser_ends_on_the_latest_build_and_shows_why_a_build_failed(project, browser):
    with started(project, "livereload") as preview:
        tab = browser.new_page()
        tab.goto(f"{preview.url}/")
        titles = tab.locator(".entry-card-title")
        edit(project, ENTRY, "Title: Silence on the line", "Title: Quiet on the line")
        expect(titles.filter(has_text="Quiet on the line")).to_be_visible(timeout=30_000)
        # Saved again at once, while the browser has just reloaded: it must not stay on the first
        # save.
        edit(project, ENTRY, "Title: Quiet on the line", "Title: Hush on the line")
        expect(titles.filter(has_text="Hush on the line")).to_be_visible(timeout=30_000)

        edit(project, ENTRY, "Author: Priya Nair", "Author: Priya Nairr")
        problems = tab.locator(f"#{MARK}-problems")
        expect(problems).to_contain_text(
            f'{ENTRY}:3: Author "Priya Nairr" is not on the roster', timeout=30_000
        )
        expect(
            titles.filter(has_text="Hush on the line")
        ).to_be_visible()  # the last good build, under it

        edit(project, ENTRY, "Author: Priya Nairr", "Author: Priya Nair")
        expect(problems).to_have_count(0, timeout=30_000)
        tab.close()
    assert not [
        name for name, data in snapshot(project / "output").items() if MARK.encode() in data
    ], "the preview's additions were written into the site"


def test_livereload_prints_each_line_once_and_each_builds_warnings(project):
    (project / "content/entries/2025/no-lessons.md").write_text(
        "Title: No lessons here\nDate: 2025-06-01\nAuthor: Dev Patel\n\nA story without lessons.\n"
    )
    warning = 'content/entries/2025/no-lessons.md: This entry has no "Lessons learned" section'
    with started(project, "livereload") as preview:
        edit(project, ENTRY, "Title: Silence on the line", "Title: Quiet on the line")
        fetch_until(f"{preview.url}/", "Quiet on the line")
        printed = preview.printed()
    assert printed.count(preview.url) == 1, printed  # the address it serves, said once
    assert printed.count(warning) == 2, printed  # the first build's warning, and the second's


def fetch_until(url: str, text: str) -> None:
    for _ in range(120):
        if text in fetch(url):
            return
        subprocess.run(["sleep", "0.5"], check=True)
    raise AssertionError(f"{text!r} never appeared at {url}")


def test_a_published_build_has_nothing_of_the_preview(tmp_path):
    site = build(ROOT / "content", tmp_path / "output", "publishconf.py")
    assert not [name for name, data in snapshot(site).items() if MARK.encode() in data]
