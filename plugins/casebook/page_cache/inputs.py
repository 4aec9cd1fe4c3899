"""What each cached page shows besides site-wide values: its inputs, per template.

A page is drawn again when one of its inputs changes, so a template named in
PAGE_INPUTS must show nothing that is not listed here (or site-wide, see
fingerprints.py): tests/test_page_cache.py compares cached rebuilds with
builds from scratch after many kinds of change.
"""

from __future__ import annotations

CONTENT_TEMPLATES = {"article.html", "page.html"}  # one page per content file


def paginated(c) -> list:
    page = c["articles_page"]
    return [page.number, c["articles_paginator"].num_pages, *page.object_list]


def lessons_shown(groups) -> list:
    """A lesson list shows each lesson with its entry's title, author and date: not the whole
    entry."""
    return [
        (
            group.name,
            group.anchor,
            *(
                (
                    lesson.html,
                    lesson.url,
                    lesson.endorsed,
                    lesson.entry.title,
                    lesson.entry.author.name,
                    lesson.entry.date.isoformat(),
                )
                for lesson in group.lessons
            ),
        )
        for group in groups
    ]


def archive_shown(entries) -> list:
    """An archive line: title, address, date, author, comments, endorsed. Not the text."""
    return [
        (
            entry.title,
            entry.slug,
            entry.date.isoformat(),
            entry.author.name,
            entry.discussion.count,
            bool(entry.discussion.endorsements),
        )
        for entry in entries
    ]


def tag_page(c) -> list:
    """A tag's count on every page; its lessons on the first."""
    group = c["lessons_by_tag"].get(c["tag"].name) if c["articles_page"].number == 1 else None
    return [
        c["tag"].name,
        len(c["articles"]),
        *paginated(c),
        *lessons_shown([group] if group else []),
    ]


def path_shown(path) -> list:
    """A reading path's page or handout: the path, and its entries with their notes."""
    return [
        path.name,
        path.title,
        path.intro,
        *(part for stop in path.stops for part in (stop.note, stop.entry)),
    ]


def counted(pairs) -> list:
    return [(thing.name, len(entries)) for thing, entries in pairs]


# An entry stands for all it shows.
PAGE_INPUTS = {
    "article.html": lambda c: [
        c["article"],
        *(place.shown() for place in c["article"].reading_places),
        *c["article"].read_next.shown(),  # previous, next and related: other entries' titles
    ],
    "page.html": lambda c: [c["page"]],
    "index.html": paginated,
    "author.html": lambda c: [c["author"].name, len(c["articles"]), *paginated(c)],
    "tag.html": tag_page,
    "period_archives.html": lambda c: [repr(c["period"]), *archive_shown(c["dates"])],
    "archives.html": lambda c: archive_shown(c["dates"]),  # the search is drawn by its script
    "tags.html": lambda c: counted(c["tags"]),
    "authors.html": lambda c: counted(c["authors"]),
    "endorsed.html": lambda c: c["endorsed_entries"],
    "lessons.html": lambda c: [c["endorsed_only"], *lessons_shown(c["groups"])],
    "404.html": lambda c: [],
    "paths.html": lambda c: [
        (path.name, path.title, path.intro, len(path.stops)) for path in c["reading_paths"]
    ],
    "path.html": lambda c: path_shown(c["reading_path"]),
    "path_handout.html": lambda c: path_shown(c["reading_path"]),
    "insights.html": lambda c: c["figures"],  # its numbers: from every entry, though it shows none
    "review.html": lambda c: [
        c["today"],
        *(waiting.entry for waiting in c["queue"].not_reviewed),
        "reviewed",
        *(waiting.entry for waiting in c["queue"].not_endorsed),
    ],
}
