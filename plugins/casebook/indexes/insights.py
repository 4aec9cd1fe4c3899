"""Insights (/insights/): the published journal in figures, each a chart and a table of its
numbers."""

from __future__ import annotations

import calendar
import statistics
from collections import Counter
from dataclasses import dataclass

from ..rendering.charts import BarChart, Point, bar_chart, round_up
from .review import first_review

TOP_TAGS = 5
NO_CHANNEL = "not given"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    slug: str  # its anchor
    title: str
    summary: str  # what the chart shows, in a sentence or two, above it
    charts: tuple[tuple[str, BarChart], ...]  # (caption, chart): several for small multiples
    table: Table


def insights(entries, channels: tuple[str, ...]) -> list[Figure]:
    """The figures of the published entries (each with its `discussion`); none without entries."""
    entries = sorted(entries, key=lambda entry: entry.date)
    if not entries:
        return []
    years = list(range(entries[0].date.year, entries[-1].date.year + 1))
    return [
        per_month(entries, years),
        by_channel(entries, channels),
        tags_over_time(entries, years),
        endorsement_rate(entries, years),
        days_to_review(entries, years),
    ]


def entries_count(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"


def per_month(entries, years: list[int]) -> Figure:
    counts = Counter((entry.date.year, entry.date.month) for entry in entries)
    first, last = (
        (entries[0].date.year, entries[0].date.month),
        (entries[-1].date.year, entries[-1].date.month),
    )
    months = [
        (year, month) for year in years for month in range(1, 13) if first <= (year, month) <= last
    ]
    points = [
        Point(
            f"{calendar.month_name[m]} {y}",
            counts[y, m],
            str(y) if m == 1 or (y, m) == first else "",
            entries_count(counts[y, m]),
        )
        for y, m in months
    ]
    busiest = max(points, key=lambda point: point.value)
    rows = tuple(
        (
            str(year),
            *(str(counts[year, month]) for month in range(1, 13)),
            str(sum(counts[year, month] for month in range(1, 13))),
        )
        for year in years
    )
    return Figure(
        "per-month",
        "Entries per month",
        f"{entries_count(len(entries))} from {points[0].label} to "
        f"{points[-1].label}; the busiest month was {busiest.label}, with {busiest.said}.",
        (("", bar_chart(points)),),
        Table(("Year", *calendar.month_abbr[1:], "Total"), rows),
    )


def by_channel(entries, channels: tuple[str, ...]) -> Figure:
    counts = Counter(getattr(entry, "channel", "") or NO_CHANNEL for entry in entries)
    names = [name for name in (*channels, NO_CHANNEL) if counts[name]]
    points = [
        Point(name, counts[name], name, f"{counts[name]} ({share(counts[name], len(entries))})")
        for name in names
    ]
    most = max(points, key=lambda point: point.value)
    return Figure(
        "by-channel",
        "Entries by channel",
        f"Most entries came by {most.label}: {most.said} of {len(entries)}.",
        (("", bar_chart(points)),),
        Table(
            ("Channel", "Entries", "Share"),
            tuple((name, str(counts[name]), share(counts[name], len(entries))) for name in names),
        ),
    )


def tags_over_time(entries, years: list[int]) -> Figure:
    totals = Counter(tag.name for entry in entries for tag in getattr(entry, "tags", []))
    top = sorted(totals, key=lambda name: (-totals[name], name.lower()))[:TOP_TAGS]
    counts = Counter(
        (tag.name, entry.date.year) for entry in entries for tag in getattr(entry, "tags", [])
    )
    scale = round_up(
        max((counts[name, year] for name in top for year in years), default=0)
    )  # one for all

    def chart(name: str) -> BarChart:
        labelled = years[::5]  # a year under every fifth bar: small charts have little room
        return bar_chart(
            [
                Point(f"{name}, {year}", counts[name, year], str(year) if year in labelled else "")
                for year in years
            ],
            height=130,
            top_value=scale,
            width=240,
        )

    charts = tuple((f"{name} ({entries_count(totals[name])})", chart(name)) for name in top)
    return Figure(
        "tags-over-time",
        f"The {len(top)} most used tags, year by year",
        f"The most used tags: {', '.join(f'{name} ({totals[name]})' for name in top)}; each chart "
        "counts its tag's entries per year, on the same scale.",
        charts,
        Table(
            ("Tag", *map(str, years), "Total"),
            tuple(
                (name, *(str(counts[name, year]) for year in years), str(totals[name]))
                for name in top
            ),
        ),
    )


def share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def endorsement_rate(entries, years: list[int]) -> Figure:
    written = Counter(entry.date.year for entry in entries)
    endorsed = Counter(entry.date.year for entry in entries if entry.discussion.endorsements)
    points = [
        Point(
            str(year),
            round(100 * endorsed[year] / written[year]) if written[year] else 0,
            str(year),
            f"{share(endorsed[year], written[year])} ({endorsed[year]} of {written[year]})",
        )
        for year in years
    ]
    total = sum(endorsed.values())
    return Figure(
        "endorsement-rate",
        "Endorsement rate",
        f"{share(total, len(entries))} of all entries ({total} of {len(entries)}) have been "
        "endorsed; "
        "each bar is the share of a year's entries.",
        (("", bar_chart(points, top_value=100)),),
        Table(
            ("Year", "Entries", "Endorsed", "Rate"),
            tuple(
                (
                    str(year),
                    str(written[year]),
                    str(endorsed[year]),
                    share(endorsed[year], written[year]),
                )
                for year in years
            ),
        ),
    )


def days(entry) -> float | None:
    """From the entry to its first supervisor comment (indexes/review.py), in days."""
    reviewed = first_review(entry)
    return (reviewed - entry.date).total_seconds() / 86400 if reviewed else None


def days_to_review(entries, years: list[int]) -> Figure:
    waits = {year: [] for year in years}
    for entry in entries:
        if (wait := days(entry)) is not None:
            waits[entry.date.year].append(wait)
    medians = {year: statistics.median(found) if found else None for year, found in waits.items()}
    everything = [wait for found in waits.values() for wait in found]
    overall = (
        f"the median wait was {statistics.median(everything):.1f} days ({len(everything)} "
        "reviewed entries)"
        if everything
        else "no entry has been reviewed yet"
    )
    points = [
        Point(
            str(year),
            round(medians[year], 1) if medians[year] is not None else 0,
            str(year),
            f"{medians[year]:.1f} days" if medians[year] is not None else "none reviewed",
        )
        for year in years
    ]
    return Figure(
        "days-to-review",
        "Days to a supervisor's first comment",
        f"From an entry to the first comment by a supervisor other than its author, {overall}; "
        "each bar is the median of the entries written that year. Entries not reviewed yet are "
        "left out.",
        (("", bar_chart(points)),),
        Table(
            ("Year", "Reviewed entries", "Median days"),
            tuple(
                (
                    str(year),
                    str(len(waits[year])),
                    f"{medians[year]:.1f}" if medians[year] is not None else "–",
                )
                for year in years
            ),
        ),
    )
