"""The searchable archive: Pagefind's index, and the search page in a real Chromium."""

from __future__ import annotations

import gzip
import re
import shutil

import pytest
from conftest import ROOT, build, html, run_pelican, serve_once, snapshot
from pelican.plugins.casebook.indexes.search_bundle import remove_unreferenced
from test_check_memory import replace_in
from test_site import DRAFTS, PUBLISHED

from benchmark.generate import generate

ENDORSED = {
    "A complaint at the counter",
    "The message I did not take",
    "Refund by Friday",
    "What is a tracking number, anyway?",
}


# The index itself (no browser needed)


def test_only_published_entry_pages_are_indexed(site):
    fragments = list((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) == len(PUBLISHED)
    for page in site.rglob("*.html"):
        indexed = html(page).find(attrs={"data-pagefind-body": True}) is not None
        is_entry = re.fullmatch(r"\d{4}/\d{2}/[^/]+/index\.html", page.relative_to(site).as_posix())
        assert indexed == bool(is_entry), page


def test_a_failed_index_fails_the_build_and_keeps_the_last_site(journal):
    result = run_pelican(
        journal.root / "content",
        journal.output,
        journal.root,
        "-e",
        'CASEBOOK_PAGEFIND_ARGUMENTS="--no-such-option"',
    )
    assert result.returncode == 1
    assert (
        "The search index could not be built" in result.stderr and "no-such-option" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert snapshot(journal.output) == journal.good_output


def test_search_files_stay_when_the_index_cannot_be_read(site, tmp_path, caplog):
    """Old search files are removed after a rebuild only as far as Pagefind's index names the ones
    it needs."""
    bundle = tmp_path / "pagefind"
    shutil.copytree(site / "pagefind", bundle)
    for metadata in bundle.glob("*.pf_meta"):
        metadata.write_bytes(gzip.compress(b"a format this Casebook does not know"))
    before = snapshot(bundle)
    remove_unreferenced(bundle)
    assert snapshot(bundle) == before
    assert "The search bundle may hold files of earlier builds" in caplog.text


# The search page, in Debian's Chromium driven by Playwright


@pytest.fixture
def page(browser, serve, site):
    """A fresh tab on the served sample journal; it must log no console error."""
    context = browser.new_context(base_url=serve_once(serve, site))
    tab = context.new_page()
    errors = []
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], "console errors"


def open_archive(page, address: str = "/archive/") -> None:
    """Open the archive and wait until its search is ready (Pagefind loaded, the first search
    drawn)."""
    page.goto(address)
    page.locator("#search[data-ready]").wait_for(state="attached")


def search_for(page, text: str) -> list[str]:
    open_archive(page)
    page.locator("#search-input").press_sequentially(text, delay=20)  # typed, as a person does
    return result_titles(page)


def result_titles(page) -> list[str]:
    """The titles shown, once the page says (aria-busy) that its latest search has drawn."""
    page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
    return page.locator("#search-results .entry-card-title").all_inner_texts()


def test_a_distinctive_phrase_brings_its_entry_first(page):
    assert search_for(page, "garden centre chain")[0] == "The message I did not take"
    first = page.locator("#search-results li").first
    assert {"garden", "centre", "chain"} <= {
        mark.lower() for mark in first.locator("mark").all_inner_texts()
    }
    assert "Marcus Reed" in first.inner_text() and "2 June 2023" in first.inner_text()
    assert (
        "Channel:" not in first.locator(".search-excerpt").inner_text()
    )  # the story, not its header


def test_a_phrase_only_in_a_comment_finds_its_entry(page):
    phrase = "second chair"
    assert not any(phrase in p.read_text() for p in (ROOT / "content/entries").rglob("*.md"))
    assert any(phrase in p.read_text() for p in (ROOT / "content/comments").rglob("*.md"))
    assert search_for(page, phrase)[0] == "A complaint at the counter"


def test_a_lesson_phrase_finds_its_entry(page):
    assert search_for(page, "spelling alphabet")[0] == "Reading back the order number"


def test_a_tag_filter_narrows_the_results(page):
    everything = search_for(page, "customer")
    page.get_by_role("checkbox", name=re.compile(r"^refunds")).check()
    narrowed = result_titles(page)
    tagged = {s.title for s in PUBLISHED if "refunds" in s.tags}
    assert narrowed and set(narrowed) <= tagged and len(narrowed) < len(everything)
    assert "tag=refunds" in page.url


def test_the_endorsed_filter_shows_only_endorsed_entries(page):
    open_archive(page)
    page.get_by_role("checkbox", name=re.compile("Endorsed entries only")).check()
    titles = result_titles(page)
    assert set(titles) == ENDORSED
    assert page.locator("#search-results .badge-endorsed").count() == len(ENDORSED)


def test_filters_combine_and_the_address_can_be_shared(page):
    open_archive(page, "/archive/?tag=escalation&endorsed=yes&sort=newest")
    assert result_titles(page) == ["A complaint at the counter", "Refund by Friday"]
    assert page.get_by_role("checkbox", name=re.compile("^escalation")).is_checked()
    assert page.locator("#search-sort").input_value() == "newest"


def test_newest_first_sort(page):
    search_for(page, "customer")
    page.locator("#search-sort").select_option("newest")
    result_titles(page)
    dates = page.locator("#search-results time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert len(dates) > 2 and dates == sorted(dates, reverse=True)


def test_a_drafts_words_find_nothing(page):
    assert "zebracorn" in DRAFTS[0].path.read_text()
    assert search_for(page, "zebracorn") == []
    assert page.locator("#search-status").inner_text().startswith("No entries found")


def test_listings_and_guide_pages_are_not_results(page):
    assert search_for(page, "one clear sentence a new colleague could act on") == []


def test_the_header_search_box_leads_to_the_archive(page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search the journal").fill("tracking number")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/archive/\?q=tracking\+number"))
    assert result_titles(page)[0] == "What is a tracking number, anyway?"


def test_search_works_by_keyboard(page):
    open_archive(page)
    page.locator("#search-input").focus()
    page.keyboard.type("refund")
    result_titles(page)
    page.keyboard.press("Tab")  # to the order menu
    assert page.evaluate("document.activeElement.id") == "search-sort"
    page.keyboard.press("Tab")  # to the first result: the filters come after the results
    assert page.evaluate("document.activeElement.closest('.entry-card-title') !== null")
    for _ in range(40):  # on, past the results, to the first filter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "checkbox":
            break
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    page.wait_for_url(re.compile(r"[?&](tag|author|year|channel|endorsed)="))
    assert page.locator("#search-status").get_attribute("role") == "status"


def test_without_javascript_the_archive_lists_every_entry(browser, serve, site):
    context = browser.new_context(java_script_enabled=False, base_url=serve_once(serve, site))
    tab = context.new_page()
    tab.goto("/archive/?q=refund")
    assert (
        tab.locator("#search-form").is_hidden() and tab.locator("#search-filter-panel").is_hidden()
    )
    listed = tab.locator("#archive-list .archive-list a").all_inner_texts()
    assert sorted(listed) == sorted(s.title for s in PUBLISHED)
    context.close()


def test_search_works_when_published_under_a_sub_path(browser, serve, tmp_path):
    base = serve(tmp_path)
    build(
        ROOT / "content",
        tmp_path / "journal",
        SITEURL=f"{base}/journal",
        FEED_DOMAIN=f"{base}/journal",
    )
    context = browser.new_context()
    tab = context.new_page()
    errors = []
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    tab.goto(f"{base}/journal/archive/?q=garden+centre")
    first = tab.locator("#search-results .entry-card-title a").first
    first.wait_for()
    assert first.get_attribute("href") == "/journal/2023/06/the-message-i-did-not-take/"
    first.click()
    tab.wait_for_url(f"{base}/journal/2023/06/the-message-i-did-not-take/")
    assert errors == []
    context.close()


def test_results_come_ten_at_a_time(browser, serve, tmp_path):
    content = generate(tmp_path / "journal", 30)
    site = build(content, tmp_path / "site")
    context = browser.new_context(base_url=serve(site))
    tab = context.new_page()
    open_archive(tab)
    tab.locator("#search-input").press_sequentially("refund", delay=20)
    assert len(result_titles(tab)) == 10
    total = int(tab.locator("#search-status").inner_text().split()[0])
    assert total > 10 and "showing 10" in tab.locator("#search-status").inner_text()
    tab.get_by_role("button", name="Show more results").click()
    titles = result_titles(tab)
    assert len(titles) == min(20, total) and len(set(titles)) == len(titles)
    assert (
        tab.evaluate("document.activeElement.textContent") == titles[10]
    )  # focus on the first new one
    context.close()


def test_show_more_after_the_journal_is_published_again_searches_the_new_index(
    browser, serve, tmp_path
):
    content = generate(tmp_path / "journal", 30)
    site = build(content, tmp_path / "site")
    context = browser.new_context(base_url=serve(site))
    tab = context.new_page()
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_archive(tab)
    tab.locator("#search-input").press_sequentially("refund", delay=20)
    assert len(result_titles(tab)) == 10
    for entry in (content / "entries").rglob("*.md"):  # every entry's text: every fragment anew
        entry.write_text(entry.read_text() + "\nA zanzibar parrot was on the line.\n")
    build(content, site)
    tab.get_by_role("button", name="Show more results").click()
    titles = result_titles(tab)
    assert titles and "refund" in tab.locator("#search-status").inner_text()
    tab.locator("#search-input").fill("zanzibar")
    assert len(result_titles(tab)) == 10, "the new index is the one searched"
    assert errors == []
    context.close()


def test_on_a_phone_the_filters_wait_behind_a_button(browser, serve, site):
    context = browser.new_context(
        viewport={"width": 390, "height": 800}, base_url=serve_once(serve, site)
    )
    tab = context.new_page()
    open_archive(tab, "/archive/?q=refund")
    assert result_titles(tab)  # wait until the results have drawn
    assert tab.locator("#search-filter-panel").is_hidden()
    first = tab.locator("#search-results .entry-card-title").first
    assert first.is_visible() and first.bounding_box()["y"] < 800
    toggle = tab.get_by_role("button", name="Filters")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert tab.evaluate("document.activeElement.type") == "checkbox"  # focus moved into the panel
    tab.get_by_role("checkbox", name=re.compile("^refunds")).check()
    titles = result_titles(tab)
    assert "tag=refunds" in tab.url and set(titles) <= {
        s.title for s in PUBLISHED if "refunds" in s.tags
    }
    context.close()


def test_author_year_and_channel_filters(page):
    open_archive(page, "/archive/?author=Priya+Nair")
    assert set(result_titles(page)) == {
        s.title for s in PUBLISHED if s.meta["author"] == "Priya Nair"
    }
    open_archive(page, "/archive/?year=2024&channel=phone")
    assert result_titles(page) == ["Reading back the order number"]


def test_an_archive_open_while_the_journal_is_published_again_searches_the_new_index(
    browser, serve, project
):
    """A newer index names its files anew and the old ones go (a publish, or the preview's search
    catching up): an archive opened before must search the index served now."""
    output = build(project / "content", project / "output")
    context = browser.new_context(base_url=serve(output))
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        assert search_for(page, "zanzibar") == []
        before = {path.name for path in (output / "pagefind" / "index").iterdir()}
        replace_in(
            project / "content/entries/2025/2025-02-11-silence-on-the-line.md",
            "I could hear she was still there.",
            "I could hear the zanzibar parrot.",
        )
        build(project / "content", output)
        assert before - {path.name for path in (output / "pagefind" / "index").iterdir()}, (
            "some index file the page loaded is gone"
        )
        page.locator("#search-input").fill("")
        page.locator("#search-input").press_sequentially("zanzibar", delay=20)
        assert result_titles(page) == ["Silence on the line"]
        assert errors == []
    finally:
        context.close()
