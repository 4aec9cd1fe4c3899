"""Bar charts as plain geometry, for the theme to draw as inline SVG (_charts.html).

A few dozen lines instead of a plotting library: the insights need only bars,
an axis and labels, drawn in the page's own colours (CSS variables, so dark
mode and print follow), with nothing loaded from anywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The viewBox, scaled to the column's width: small enough for text to stay readable on a phone.
WIDTH = 480
LEFT, RIGHT, TOP, BOTTOM = 44, 6, 10, 22  # room for the value axis and the labels under the bars


@dataclass(frozen=True, slots=True)
class Point:
    label: str  # in full: "March 2023"
    value: float
    axis_label: str = ""  # under its bar, if any: "2023" under each January
    text: str = ""  # the value as said: "4 entries"; its number if empty

    @property
    def said(self) -> str:
        return self.text or f"{self.value:g}"


@dataclass(frozen=True, slots=True)
class Bar:
    point: Point
    x: float
    y: float
    width: float
    height: float

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True, slots=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right: int
    baseline: float
    top_value: float  # the value at the top of the axis
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


def bar_chart(
    points: list[Point], height: int = 200, top_value: float | None = None, width: int = WIDTH
) -> BarChart:
    """Bars side by side, from 0 up to top_value (by default a round number at or above the
    largest)."""
    top_value = top_value or round_up(max((point.value for point in points), default=0))
    plot = height - TOP - BOTTOM
    step = (width - LEFT - RIGHT) / max(len(points), 1)
    bar_width = max(step * 0.8, 1)
    bars = tuple(
        Bar(
            point,
            round(LEFT + index * step + (step - bar_width) / 2, 1),
            round(TOP + plot * (1 - share), 1),
            round(bar_width, 1),
            round(plot * share, 1),
        )
        for index, point in enumerate(points)
        for share in [point.value / top_value]
    )
    parts = (0, 0.5, 1) if (top_value / 2).is_integer() else (0, 1)  # no "0.5 entries"
    ticks = tuple(
        Tick(round(TOP + plot * (1 - part), 1), f"{top_value * part:g}") for part in parts
    )
    return BarChart(width, height, LEFT, width - RIGHT, TOP + plot, top_value, bars, ticks)


def round_up(value: float) -> float:
    """The next of 1, 2, 5, 10, 20, 50... at or above value (at least 1), so that the axis reads
    easily."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)
