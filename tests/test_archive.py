"""Issue 18: the archive and the entry page as a trainee uses them.

The built sample journal's pages (read next, the printed address, one search
landmark a page) and its real Pagefind bundle, in Debian's Chromium: results
first, filters with results only, chips, "did you mean", no layout shift,
few Tab presses, and excerpts that are the entry's text.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import html, serve_once
from test_site import DRAFTS, PUBLISHED

WIDE = {"width": 1280, "height": 800}


# The built pages (no browser needed)


def read_next_links(site, sample) -> dict[str, list[str]]:
    nav = html(sample.page(site)).find("nav", class_="read-next")
    assert nav is not None, f"{sample.slug}: no read-next block"
    return {
        part: [a["href"] for a in nav.select(f".read-next-{part} a")]
        for part in ("sequence", "related")
    }


def test_every_published_entry_has_previous_next_and_related_entries(site):
    ordered = sorted(PUBLISHED, key=lambda sample: (sample.date, sample.slug))
    address = {
        sample.slug: f"/{sample.date:%Y}/{sample.date:%m}/{sample.slug}/" for sample in ordered
    }
    for number, sample in enumerate(ordered):
        nav = html(sample.page(site)).find("nav", class_="read-next")
        previous, following = nav.find("a", rel="prev"), nav.find("a", rel="next")
        if number == 0:
            assert previous is None
        else:
            assert previous["href"] == address[ordered[number - 1].slug]
        if number == len(ordered) - 1:
            assert following is None
        else:
            assert following["href"] == address[ordered[number + 1].slug]
        related = read_next_links(site, sample)["related"]
        assert 1 <= len(related) <= 5, sample.slug
        assert address[sample.slug] not in related  # not itself
        assert set(related) <= set(address.values())  # only published entries
        for item in nav.select(".read-next-related li"):  # each with its title and date
            assert item.find("a").get_text(strip=True) and item.find("time")["datetime"]


def test_read_next_never_points_at_a_draft(site):
    draft = DRAFTS[0]
    assert draft.tags and any(set(draft.tags) & set(s.tags) for s in PUBLISHED)  # a shared tag
    for sample in PUBLISHED:
        links = read_next_links(site, sample)
        assert not any(draft.slug in link for part in links.values() for link in part)
    assert html(draft.page(site)).find("nav", class_="read-next") is None


def test_related_entries_show_the_endorsed_badge(site):
    endorsed = {s.title for s in PUBLISHED if s.slug in ENDORSED_SLUGS}
    seen = 0
    for sample in PUBLISHED:
        nav = html(sample.page(site)).find("nav", class_="read-next")
        for item in nav.select("li"):
            badge = item.find(class_="badge-endorsed") is not None
            assert badge == (item.find("a").get_text(strip=True) in endorsed)
            seen += badge
    assert seen


ENDORSED_SLUGS = {
    "a-complaint-at-the-counter",
    "the-message-i-did-not-take",
    "refund-by-friday",
    "what-is-a-tracking-number-anyway",
}


def test_the_vocabulary_holds_the_journals_words_and_no_drafts(site):
    words = json.loads((site / "search" / "words.json").read_text())["words"]
    assert {"refund", "tracking", "widget", "silence"} <= set(words)
    assert "zebracorn" not in words  # a draft's word
    assert words == list(dict.fromkeys(words)) and all(w == w.lower() for w in words)


def test_one_named_search_landmark_a_page(site):
    for page in ("index.html", "archive/index.html", "404.html", "tags/index.html"):
        landmarks = html(site / page).select('[role="search"], search')
        assert len(landmarks) == 1, page
        assert landmarks[0].get("aria-label"), page
    archive = html(site / "archive" / "index.html")
    assert archive.find(id="site-search-input") is None  # no second, empty box in the header


# In Debian's Chromium, on the real Pagefind bundle


@pytest.fixture
def tab(browser, serve, site):
    context = browser.new_context(base_url=serve_once(serve, site), viewport=WIDE)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], "console errors"


def drawn(tab) -> list[str]:
    tab.wait_for_selector("#search-results:not([aria-busy])", state="attached")
    return tab.locator("#search-results .entry-card-title").all_inner_texts()


def test_the_first_result_is_above_the_fold(tab):
    tab.goto("/archive/?q=refund")
    assert drawn(tab)
    first = tab.locator("#search-results .entry-card-title a").first.bounding_box()
    assert first["y"] + first["height"] <= WIDE["height"], first
    assert tab.locator("#search-status").bounding_box()["y"] < first["y"]


@pytest.mark.parametrize("width", [1280, 390])  # on a phone the Filters button is one more stop
def test_from_the_query_box_to_the_first_result_in_three_tabs(tab, width):
    tab.set_viewport_size({"width": width, "height": 800})
    tab.goto("/archive/")
    tab.locator("#search[data-ready]").wait_for(state="attached")
    tab.locator("#search-input").press_sequentially("refund", delay=20)
    titles = drawn(tab)
    presses = 0
    while presses < 10:
        tab.keyboard.press("Tab")
        presses += 1
        if tab.evaluate("document.activeElement.closest('.entry-card-title') !== null"):
            break
    assert presses <= 3, f"{presses} Tab presses to the first result"
    assert tab.evaluate("document.activeElement.textContent") == titles[0]


def test_filters_show_only_values_with_results(tab):
    tab.goto("/archive/?q=refund")
    titles = set(drawn(tab))
    facet_tags = tab.locator("#search-filters fieldset", has_text="Tag").locator("input")
    shown = set(facet_tags.evaluate_all("boxes => boxes.map(b => b.value)"))
    assert shown == {tag for s in PUBLISHED if s.title in titles for tag in s.tags}
    counts = tab.locator("#search-filters .count").all_inner_texts()
    assert counts and all(int(count.strip("()")) > 0 for count in counts)


def test_a_chip_removes_its_filter(tab):
    tab.goto("/archive/?q=customer&tag=refunds&endorsed=yes")
    narrowed = drawn(tab)
    chips = tab.locator("#search-chips button")
    assert chips.all_inner_texts() == ["Tag: refunds ×", "Endorsed: Endorsed entries only ×"]
    tab.get_by_role("button", name="Remove filter Tag: refunds").click()
    tab.wait_for_url(re.compile(r"\?q=customer&endorsed=yes$"))
    widened = drawn(tab)
    assert len(widened) > len(narrowed) and set(narrowed) <= set(widened)
    assert not tab.get_by_role("checkbox", name=re.compile("^refunds")).is_checked()
    assert tab.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Remove filter Endorsed: Endorsed entries only"
    )  # focus stays among the chips
    tab.get_by_role("button", name="Remove filter Endorsed: Endorsed entries only").click()
    tab.wait_for_url(re.compile(r"\?q=customer$"))
    assert tab.locator("#search-chips").is_hidden()


@pytest.mark.parametrize(
    "typed, meant, first",
    [("refnd", "refund", "Refund by Friday"), ("trakcing", "tracking", None)],
)
def test_a_misspelling_gets_a_suggestion_that_searches(tab, typed, meant, first):
    words = []
    tab.on("request", lambda r: words.append(r.url) if r.url.endswith("/words.json") else None)
    tab.goto("/archive/")
    tab.locator("#search-input").press_sequentially("refund", delay=20)
    assert len(drawn(tab)) >= 3 and words == []  # found enough: the vocabulary is not fetched
    tab.locator("#search-input").fill("")
    tab.locator("#search-input").press_sequentially(typed, delay=20)
    assert drawn(tab) == []
    suggestion = tab.locator("#search-suggestion")
    suggestion.wait_for(state="visible")
    assert suggestion.inner_text().startswith(f"Did you mean {meant}?") and len(words) == 1
    suggestion.get_by_role("link", name=meant).click()
    assert tab.locator("#search-input").input_value() == meant
    titles = drawn(tab)
    assert titles and (first is None or titles[0] == first)
    assert f"q={meant}" in tab.url and suggestion.is_hidden()


CLS = """() => { window.layoutShift = 0; new PerformanceObserver((list) => {
  for (const shift of list.getEntries()) {
    if (!shift.hadRecentInput) window.layoutShift += shift.value;
  }
}).observe({ type: "layout-shift", buffered: true }); }"""


@pytest.mark.parametrize(
    "address", ["/archive/?q=refund", "/archive/?q=customer&tag=refunds", "/archive/"]
)
def test_no_layout_shift_when_search_loads(browser, serve, site, address):
    context = browser.new_context(base_url=serve_once(serve, site), viewport=WIDE)
    context.add_init_script(f"({CLS})()")
    page = context.new_page()
    page.goto(address)
    drawn(page)
    page.wait_for_timeout(300)  # shifts are reported after the frame that made them
    shift = page.evaluate("window.layoutShift")
    context.close()
    assert shift < 0.05, f"cumulative layout shift {shift:.3f} on {address}"


EXCERPTS = """async (queries) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.options({ excerptLength: 24 });
  const seen = [];
  for (const query of queries) {
    const found = await pagefind.search(query);
    for (const result of found.results) {
      const data = await result.data();
      seen.push({ query, title: data.meta.title, tags: data.filters.tag || [],
                  excerpt: data.excerpt.replace(/<[^>]*>/g, ""), content: data.content });
    }
  }
  return seen;
}"""


def lists_tags(text: str, tags: list[str]) -> bool:
    """The tags read as a sentence: "deadlines. escalation. refunds." (one: "refunds." first)."""
    if len(tags) == 1:
        return text.strip().lower().startswith(f"{tags[0].lower()}.")
    run = r"\W+".join(re.escape(tag) for tag in sorted(tags, key=str.lower))
    return re.search(rf"\b{run}\b", text, re.IGNORECASE) is not None


def test_excerpts_are_the_entrys_text_not_its_title_tags_headings_or_badges(tab):
    queries = sorted(
        {word for s in PUBLISHED for word in re.findall(r"[a-z]{4,}", s.title.lower())}
        | {tag for s in PUBLISHED for tag in s.tags}
        | {"happened", "supervisor", "endorsed", "lessons"}
    )
    tab.goto("/")
    seen = tab.evaluate(EXCERPTS, queries)
    assert {result["title"] for result in seen} == {s.title for s in PUBLISHED}
    for result in seen:
        for text in (result["excerpt"], result["content"]):
            assert not text.strip().lower().startswith(result["title"].lower()), result
            assert not lists_tags(text, result["tags"]), result
        content = result["content"]
        for run_on in ("What happened", "What I did", "Lessons learned", "Endorsed this entry"):
            assert run_on not in content, (run_on, result["title"])


def test_a_badge_word_finds_only_entries_that_use_it(tab, site):
    """ "supervisor" was on every entry with a supervisor's comment, as a badge."""
    tab.goto("/")
    found = {result["title"] for result in tab.evaluate(EXCERPTS, ["supervisor"])}
    uses = {
        s.title
        for s in PUBLISHED
        if "supervisor" in s.path.read_text().lower()
        or any(
            "supervisor" in comment.read_text().lower().partition("\n\n")[2]
            for comment in (s.path.parents[2] / "comments" / s.slug).glob("*.md")
        )
    }
    with_supervisor_comments = {
        s.title
        for s in PUBLISHED
        if "badge-supervisor" in str(html(s.page(site)).find(id="comments"))
    }
    assert with_supervisor_comments - uses, "the sample should have a supervisor's comment"
    assert found <= uses


def test_a_printed_entry_shows_its_address_and_not_what_to_read_next(tab):
    sample = PUBLISHED[0]
    path = f"/{sample.date:%Y}/{sample.date:%m}/{sample.slug}/"
    tab.goto(path)
    assert tab.locator(".entry-address").is_hidden()  # on screen: the address bar has it
    tab.emulate_media(media="print")
    address = tab.locator(".entry-address")
    assert address.is_visible() and address.inner_text().endswith(path.lstrip("/"))
    assert address.bounding_box()["y"] > tab.locator("h1").bounding_box()["y"]
    assert tab.locator(".read-next").is_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_filter_panel_on_a_phone_passes_axe(browser, serve, site, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(
        base_url=serve_once(serve, site),
        color_scheme=scheme,
        viewport={"width": 375, "height": 800},
    )
    page = context.new_page()
    page.goto("/archive/?q=refund&tag=refunds")
    page.locator("#search[data-ready]").wait_for(state="attached")
    page.get_by_role("button", name="Filters").click()
    violations = [
        f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    context.close()
    assert violations == []


def test_a_word_in_a_title_outweighs_the_same_word_in_other_texts(tab):
    """ "order" is twice in the text of four entries, and in the title of one of them."""
    tab.goto("/archive/?q=order")
    titles = drawn(tab)
    assert len(titles) >= 4 and titles[0] == "Reading back the order number"


@pytest.mark.parametrize("tag", ["jargon", "tooling", "deadlines"])
def test_a_tag_found_only_in_the_metadata_finds_its_entries(tab, tag):
    """These tags are in no entry's text: the search finds them in the tags' metadata."""
    tab.goto("/")
    found = {result["title"] for result in tab.evaluate(EXCERPTS, [tag])}
    assert found == {s.title for s in PUBLISHED if tag in s.tags}
