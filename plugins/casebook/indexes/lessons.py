"""The "lessons learned" index: every entry's lessons, grouped by tag."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..rendering.lessons_markdown import Lesson

UNTAGGED = "Untagged"


@dataclass(frozen=True, slots=True)
class IndexedLesson:
    """A lesson with the entry it comes from, ready to be shown many times over."""

    lesson: Lesson
    entry: object  # a Pelican Article
    endorsed: bool
    html: Markup  # sanitised by the reader
    url: str  # the entry's, with the lesson's anchor


@dataclass(frozen=True)
class LessonGroup:
    name: str
    anchor: str
    tag: object | None  # a Pelican Tag, None for entries without tags
    lessons: list[IndexedLesson]

    def endorsed_only(self) -> LessonGroup:
        return LessonGroup(
            self.name, self.anchor, self.tag, [lesson for lesson in self.lessons if lesson.endorsed]
        )


def entry_lessons(entry) -> list[IndexedLesson]:
    endorsed = bool(entry.discussion.endorsements)
    url = entry.url  # Pelican works a URL out afresh on every access
    return [
        IndexedLesson(lesson, entry, endorsed, Markup(lesson.html), f"{url}#{lesson.anchor}")
        for lesson in getattr(entry, "lessons", [])
    ]


def group_by_tag(entries) -> list[LessonGroup]:
    """Groups in alphabetical order of tag, entries without a tag last; newest entry first.
    Each entry's `indexed_lessons` (from entry_lessons) must be set."""
    groups: dict[str, tuple[object, list[IndexedLesson]]] = {}
    for entry in sorted(entries, key=lambda entry: entry.date, reverse=True):
        for tag in getattr(entry, "tags", None) or [None]:
            name = tag.name if tag else UNTAGGED
            groups.setdefault(name, (tag, []))[1].extend(entry.indexed_lessons)
    ordered = sorted(groups.items(), key=lambda item: (item[1][0] is None, item[0].lower()))
    return [
        LessonGroup(name, f"tag-{tag.slug if tag else 'untagged'}", tag, lessons)
        for name, (tag, lessons) in ordered
        if lessons
    ]


def export(entries, site_url: str) -> Iterator[dict]:
    """One record per lesson, for other training tools (lessons.json)."""
    for entry in sorted(entries, key=lambda entry: entry.date, reverse=True):
        for indexed in entry.indexed_lessons:
            yield {
                "text": indexed.lesson.text,
                "html": str(indexed.html),
                "url": f"{site_url}/{indexed.url}",
                "title": Markup(entry.title).striptags(),
                "author": entry.author.name,
                "date": entry.date.isoformat(),
                "tags": [tag.name for tag in getattr(entry, "tags", [])],
                "endorsed": indexed.endorsed,
            }


def write_export(path: Path, entries, site_url: str) -> None:
    """One lesson a line: readable, and written as it goes. (json's `indent` would use its slow
    pure-Python encoder: 0.8 s for 12,000 lessons.)"""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as file:
        file.write("[")
        for number, record in enumerate(export(entries, site_url)):
            file.write(f"{',' if number else ''}\n{json.dumps(record, ensure_ascii=False)}")
        file.write("\n]\n")
