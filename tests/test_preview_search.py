"""The preview's builds (CASEBOOK_SEARCH_LATER, as `invoke livereload` sets it): pages first, the
search index after, in the background; read in the built files and in Chromium.

The builds run in this process, as in `invoke livereload`, so the background indexing they start
is the real one (Pagefind over the served folder), and a test may wait for it to end.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build, site_files, snapshot
from pelican.plugins.casebook.indexes import search
from pelican.plugins.casebook.indexes.search import IndexInBackground
from test_page_cache import search_bundle, searchable_pages
from test_search import search_for

ENTRY = "content/entries/2025/2025-02-11-silence-on-the-line.md"
PAGE = "2025/02/silence-on-the-line/index.html"
SENTENCE = "I could hear she was still there."


def preview_build(project: Path) -> Path:
    return build(
        project / "content",
        project / "output",
        THEME=str(project / "theme"),
        CASEBOOK_SEARCH_LATER=True,
    )


def search_caught_up(output: Path) -> None:
    """Wait for the background indexing of the last build to end (it has swapped its bundle in)."""
    run = search._in_background.get(str(output))
    if run:
        run.thread.join(timeout=120)
        assert not run.thread.is_alive(), "Pagefind never finished"


def assert_equals_a_fresh_build(project: Path, output: Path, fresh: Path) -> None:
    """The served site and its search are what a build from scratch makes of the same content."""
    build(
        project / "content",
        fresh,
        THEME=str(project / "theme"),
        CACHE_CONTENT=False,
        LOAD_CONTENT_CACHE=False,
    )
    assert site_files(output) == site_files(fresh)
    assert search_bundle(output) == search_bundle(fresh)
    assert searchable_pages(output) == searchable_pages(fresh)


def edit(project: Path, old: str, new: str) -> None:
    path = project / ENTRY
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def searched(browser, serve, output: Path, words: str) -> list[str]:
    context = browser.new_context(base_url=serve(output))
    try:
        return search_for(context.new_page(), words)
    finally:
        context.close()


def test_an_edit_is_served_before_search_catches_up_and_ends_as_a_fresh_build(
    project, tmp_path, browser, serve
):
    output = preview_build(project)
    search_caught_up(output)
    edit(project, SENTENCE, "I could hear the zanzibar parrot.")
    with IndexInBackground.swapping:  # no bundle can be swapped in while this is held
        preview_build(project)
        assert "zanzibar parrot" in (output / PAGE).read_text()  # the page is served already
        assert searched(browser, serve, output, "zanzibar") == []  # search: the last bundle
        assert searched(browser, serve, output, "tracking number"), "the last bundle works"
    search_caught_up(output)
    assert searched(browser, serve, output, "zanzibar") == ["Silence on the line"]

    assert_equals_a_fresh_build(project, output, tmp_path / "fresh")
    assert not [path for path in output.parent.iterdir() if path.name == ".output.search"]


def test_a_save_during_indexing_ends_with_the_newest_content_searchable(project, browser, serve):
    output = preview_build(project)
    search_caught_up(output)
    edit(project, SENTENCE, "I could hear the zanzibar parrot.")
    preview_build(project)
    first = search._in_background[str(output)]
    edit(project, "the zanzibar parrot", "the okapi snoring")  # saved while Pagefind indexes
    preview_build(project)
    assert first.cancelled and not first.thread.is_alive()  # the next build stopped it
    search_caught_up(output)
    assert searched(browser, serve, output, "okapi") == ["Silence on the line"]
    assert searched(browser, serve, output, "zanzibar") == []


def test_a_failed_check_leaves_the_served_site_and_its_search_untouched(project):
    output = preview_build(project)
    search_caught_up(output)
    before = snapshot(output)
    edit(project, "Author: Priya Nair", "Author: Priya Nairr")
    with pytest.raises(SystemExit):
        preview_build(project)
    assert str(output) not in search._in_background  # no indexing over a failed build
    assert snapshot(output) == before


def test_a_template_edited_between_preview_builds_is_drawn_anew(project, tmp_path):
    """The compiled templates are kept between builds in one process (rendering/compiled.py)."""
    output = preview_build(project)
    template = project / "theme/templates/article.html"
    text = template.read_text(encoding="utf-8")
    assert '<div class="entry-body">' in text
    template.write_text(
        text.replace('<div class="entry-body">', '<div class="entry-body" lang="en">')
    )
    preview_build(project)
    assert '<div class="entry-body" lang="en">' in (output / PAGE).read_text()
    search_caught_up(output)
