"""Reading paths with their entries: each path's page and handout, and "Next in this path" on its
entries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from ..content.paths import ReadingPath

ANCHOR = re.compile(r'\b(id="|href="#)([^"]*)"')


@dataclass(frozen=True, slots=True)
class Stop:
    number: int  # from 1
    entry: object  # a Pelican Article
    note: str

    @property
    def handout_html(self) -> Markup:
        """The entry's text for the handout, where many entries share one page: its anchors
        (lessons, footnotes) and the links to them get the entry's slug in front, so that none
        is there twice. A link to an anchor the entry lacks stays as written (and as broken)."""
        content = self.entry.content
        anchors = {name for kind, name in ANCHOR.findall(content) if kind == 'id="'}

        def scoped(match: re.Match) -> str:
            kind, name = match.groups()
            return f'{kind}{self.entry.slug}--{name}"' if name in anchors else match.group(0)

        return Markup(ANCHOR.sub(scoped, content))


@dataclass(frozen=True)
class PathPage:
    name: str
    title: str
    intro: str
    url: str
    stops: list[Stop]

    @property
    def handout_url(self) -> str:
        return f"{self.url}handout/"

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.intro.split("\n\n") if part.strip()]


@dataclass(frozen=True, slots=True)
class Place:
    """Where an entry stands in a path, for the "Next in this path" block on its page."""

    path: PathPage
    stop: Stop

    @property
    def previous(self) -> Stop | None:
        return self.path.stops[self.stop.number - 2] if self.stop.number > 1 else None

    @property
    def next(self) -> Stop | None:
        return (
            self.path.stops[self.stop.number] if self.stop.number < len(self.path.stops) else None
        )

    def shown(self) -> tuple:
        """What the block shows of the path: what the page cache compares (page_cache/inputs.py)."""
        return (
            self.path.name,
            self.path.title,
            self.stop.number,
            self.stop.note,
            len(self.path.stops),
            *(
                (stop.entry.title, stop.entry.url) if stop else None
                for stop in (self.previous, self.next)
            ),
        )


def path_pages(paths: list[ReadingPath], entries, paths_url: str) -> list[PathPage]:
    """The checked paths, with their published entries (every slug was checked to be one), by
    title."""
    by_slug = {entry.slug: entry for entry in entries}
    pages = [
        PathPage(
            path.name,
            path.title,
            path.intro,
            f"{paths_url}{path.name}/",
            [
                Stop(number, by_slug[step.slug], step.note)
                for number, step in enumerate(path.steps, 1)
            ],
        )
        for path in paths
    ]
    return sorted(pages, key=lambda page: page.title.lower())


def place_entries(pages: list[PathPage], entries) -> None:
    """Give each entry `reading_places`: the paths it is in (none for most)."""
    places: dict[str, list[Place]] = {}
    for page in pages:
        for stop in page.stops:
            places.setdefault(stop.entry.slug, []).append(Place(page, stop))
    for entry in entries:
        entry.reading_places = places.get(entry.slug, [])
