"""Insights (/insights/): inline SVG charts, well-formed, whose numbers are the journal's, read
here from its files."""

from __future__ import annotations

import calendar
import re
import statistics
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime

from conftest import html, serve_once
from test_review import ROLES, comments_on, endorsed
from test_site import PUBLISHED

SVG = "{http://www.w3.org/2000/svg}"
PAGE = "insights/index.html"


def charts(site) -> dict[str, list[ET.Element]]:
    """Each figure's SVG charts, parsed as XML from the page's own text (so they must be
    well-formed)."""
    text = (site / PAGE).read_text(encoding="utf-8")
    found = {}
    for slug, body in re.findall(
        r'<section class="insight" id="([\w-]+)"(.*?)</section>', text, re.S
    ):
        found[slug] = [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", body, re.S)]
    return found


def bars(svg: ET.Element) -> list[tuple[str, float]]:
    """(title, value) of each bar, checking that its height is its value's share of the axis."""
    top_value = float(svg.get("data-top-value"))
    grid = [float(line.get("y1")) for line in svg.iter(f"{SVG}line")]
    plot = max(grid) - min(grid)
    found = []
    for rect in svg.iter(f"{SVG}rect"):
        value = float(rect.get("data-value"))
        assert abs(float(rect.get("height")) - plot * value / top_value) < 0.2
        assert (
            abs(float(rect.get("y")) + float(rect.get("height")) - max(grid)) < 0.2
        )  # standing on the axis
        found.append((rect.find(f"{SVG}title").text, value))
    return found


def table(site, slug: str) -> list[list[str]]:
    rows = html(site / PAGE).select(f"#{slug} table tr")
    return [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])] for row in rows]


def years() -> list[int]:
    return list(range(min(s.date.year for s in PUBLISHED), max(s.date.year for s in PUBLISHED) + 1))


def test_every_chart_is_well_formed_svg_with_no_script_or_outside_request(site):
    found = charts(site)
    assert list(found) == [
        "per-month",
        "by-channel",
        "tags-over-time",
        "endorsement-rate",
        "days-to-review",
    ]
    assert [len(svgs) for svgs in found.values()] == [1, 1, 5, 1, 1]
    for svg in (svg for svgs in found.values() for svg in svgs):
        assert svg.tag == f"{SVG}svg" and svg.get("role") == "img" and svg.get("aria-label")
    page = (site / PAGE).read_text(encoding="utf-8")
    assert "<script" not in page
    assert not re.findall(
        r'(?:href|src)="(?:https?:)?//', page.split("<main", 1)[1].split("</main>")[0]
    )


def test_entries_per_month_match_the_journal(site):
    [svg] = charts(site)["per-month"]
    counts = Counter((s.date.year, s.date.month) for s in PUBLISHED)
    first, last = min(counts), max(counts)
    months = [(y, m) for y in years() for m in range(1, 13) if first <= (y, m) <= last]
    expected = [
        (
            f"{calendar.month_name[m]} {y}: {counts[y, m]} "
            f"entr{'y' if counts[y, m] == 1 else 'ies'}",
            counts[y, m],
        )
        for y, m in months
    ]
    assert bars(svg) == expected
    assert table(site, "per-month")[1:] == [
        [
            str(y),
            *(str(counts[y, m]) for m in range(1, 13)),
            str(sum(counts[y, m] for m in range(1, 13))),
        ]
        for y in years()
    ]


def test_entries_by_channel_match_the_journal(site):
    [svg] = charts(site)["by-channel"]
    counts = Counter(s.meta["channel"] for s in PUBLISHED)
    order = [c for c in ("phone", "email", "chat", "in-person", "other") if counts[c]]
    assert [(title.split(":")[0], value) for title, value in bars(svg)] == [
        (c, counts[c]) for c in order
    ]
    assert table(site, "by-channel")[1:] == [
        [c, str(counts[c]), f"{round(100 * counts[c] / len(PUBLISHED))}%"] for c in order
    ]


def test_top_tags_over_time_match_the_journal(site):
    totals = Counter(tag for s in PUBLISHED for tag in s.tags)
    top = sorted(totals, key=lambda tag: (-totals[tag], tag.lower()))[:5]
    svgs = charts(site)["tags-over-time"]
    for tag, svg in zip(top, svgs, strict=True):
        expected = [
            (f"{tag}, {y}: {n}", n)
            for y in years()
            for n in [sum(1 for s in PUBLISHED if tag in s.tags and s.date.year == y)]
        ]
        assert bars(svg) == expected
    assert len({svg.get("data-top-value") for svg in svgs}) == 1  # one scale, so the charts compare
    assert [row[0] for row in table(site, "tags-over-time")[1:]] == top


def test_endorsement_rate_matches_the_journal(site):
    [svg] = charts(site)["endorsement-rate"]
    assert svg.get("data-top-value") == "100"
    for (title, value), year in zip(bars(svg), years(), strict=True):
        written = [s for s in PUBLISHED if s.date.year == year]
        rate = round(100 * sum(map(endorsed, written)) / len(written)) if written else 0
        assert value == rate and title.startswith(f"{year}: ")


def first_review_days(sample) -> float | None:
    dates = [
        datetime.fromisoformat(c["date"])
        for c in comments_on(sample)
        if ROLES[c["author"]] == "supervisor" and c["author"] != sample.meta["author"]
    ]
    return (min(dates) - sample.date).total_seconds() / 86400 if dates else None


def test_median_days_to_a_first_supervisor_comment_match_the_journal(site):
    [svg] = charts(site)["days-to-review"]
    waits = {s.title: first_review_days(s) for s in PUBLISHED}
    for (_title, value), year in zip(bars(svg), years(), strict=True):
        found = [
            waits[s.title] for s in PUBLISHED if s.date.year == year and waits[s.title] is not None
        ]
        assert value == (round(statistics.median(found), 1) if found else 0), year
    overall = statistics.median(w for w in waits.values() if w is not None)
    summary = html(site / PAGE).select_one("#days-to-review p").get_text(" ", strip=True)
    assert (
        f"the median wait was {overall:.1f} days ({sum(w is not None for w in waits.values())} "
        "reviewed" in summary
    )


def test_charts_follow_dark_mode_and_print(browser, serve, site):
    fills = {}
    for scheme, media in (("light", "screen"), ("dark", "screen"), ("light", "print")):
        context = browser.new_context(base_url=serve_once(serve, site), color_scheme=scheme)
        tab = context.new_page()
        tab.emulate_media(media=media)
        tab.goto("/insights/")
        fills[scheme, media] = (
            tab.eval_on_selector(".chart rect", "rect => getComputedStyle(rect).fill"),
            tab.eval_on_selector(".chart text", "text => getComputedStyle(text).fill"),
            tab.eval_on_selector("body", "body => getComputedStyle(body).backgroundColor"),
        )
        context.close()
    assert fills["light", "screen"][0] == "rgb(10, 88, 168)"  # --link, on a light page
    assert (
        fills["dark", "screen"][0] == "rgb(140, 188, 255)"
        and fills["dark", "screen"][2] == "rgb(21, 23, 27)"
    )
    assert (
        fills["light", "print"][0] == "rgb(0, 0, 0)"
        and fills["light", "print"][2] == "rgb(255, 255, 255)"
    )
    assert len({fill[1] for fill in fills.values()}) == 3  # the labels' colour follows each page
