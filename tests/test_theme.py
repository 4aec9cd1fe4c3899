"""The theme in Debian's Chromium: accessibility (axe-core), narrow screens and printing."""

from __future__ import annotations

import functools
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_site import DRAFTS

LOG_ENTRY = "/2023/01/the-chat-widget-that-said-we-were-closed/"  # a log and a JSON extract
GUIDE = "/how-to-write-an-entry/"
# One page of each kind the theme draws.
PAGES = [
    "/",
    LOG_ENTRY,
    "/2024/04/a-complaint-at-the-counter/",
    f"/drafts/{DRAFTS[0].slug}/",
    GUIDE,
    "/tags/",
    "/tags/refunds/",
    "/people/",
    "/people/julie-hill/",
    "/archive/",
    "/archive/?q=customer&tag=refunds",  # results, filters and a chip
    "/archive/?q=refnd",  # "did you mean"
    "/2023/",
    "/2023/01/",
    "/endorsed/",
    "/lessons/",
    "/lessons/endorsed/",
    "/404.html",
    "/review/",
    "/insights/",
    "/paths/",
    "/paths/first-weeks/",
    "/paths/first-weeks/handout/",
]
VIEWS = [(scheme, width) for scheme in ("light", "dark") for width in (1280, 375)]


@functools.cache
def served(serve, site) -> str:
    return serve(site)


@pytest.fixture(params=VIEWS, ids=lambda view: f"{view[0]}-{view[1]}px")
def tab(request, browser, serve, site):
    scheme, width = request.param
    context = browser.new_context(
        base_url=served(serve, site), color_scheme=scheme, viewport={"width": width, "height": 900}
    )
    yield context.new_page()
    context.close()


def test_no_page_has_a_serious_accessibility_violation(tab):
    axe = Axe()
    found = []
    for address in PAGES:
        tab.goto(address)
        if address.startswith("/archive/"):  # the search is drawn by its script
            tab.locator("#search[data-ready]").wait_for(state="attached")
            if "refnd" in address:
                tab.locator("#search-suggestion").wait_for(state="visible")
        for violation in axe.run(tab).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                found.append(
                    f"{address}: {violation['id']} ({violation['impact']}, "
                    f"{len(violation['nodes'])} "
                    f"elements, first {violation['nodes'][0]['target']}): {violation['help']}"
                )
    assert not found, "\n".join(found)


SIDEWAYS = """() => [...document.querySelectorAll("body *")]
  .filter((element) => element.scrollWidth > element.clientWidth + 1
          && ["auto", "scroll"].includes(getComputedStyle(element).overflowX))
  .map((element) => element.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("address", [GUIDE, LOG_ENTRY])
def test_on_a_phone_nothing_scrolls_sideways_or_is_cut_off(browser, serve, site, address):
    """Code and logs wrap: no region that only a mouse or a finger could scroll, no line cut off."""
    context = browser.new_context(
        base_url=served(serve, site), viewport={"width": 375, "height": 800}
    )
    tab = context.new_page()
    tab.goto(address)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    assert tab.evaluate(SIDEWAYS) == []
    if address == GUIDE:
        example = tab.locator("pre", has_text="invoke new")
        assert example.evaluate("pre => pre.scrollWidth <= pre.clientWidth")
        assert "--channel email" in example.inner_text()
    context.close()


def test_the_lessons_handout_prints_its_tags_together_and_reads_well(browser, serve, site):
    tab = browser.new_page(base_url=served(serve, site))
    tab.goto("/lessons/")
    groups = tab.locator("section.lesson-group").count()
    tab.emulate_media(media="print")
    intro = tab.locator(".page-intro").inner_text()
    assert intro.rstrip().endswith("are marked Endorsed."), intro
    assert not re.search(r"\.\s+\.", intro), intro
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", tab.pdf(format="A4")))
    assert 0 < pages < groups, (
        f"{pages} printed pages for {groups} tags: a short tag gets a page of its own"
    )
    tab.close()
