"""The review queue (/review/): published entries still waiting for a supervisor.

Reviewed means commented on by a supervisor other than the entry's author (a
supervisor's note on their own entry reviews nothing). The queue has two lists,
each oldest entry first: entries no supervisor has commented on yet, and
entries a supervisor commented on that nobody endorsed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Waiting:
    """An entry in the queue, and since when it waits in its list."""

    entry: object  # a Pelican Article
    since: datetime.datetime  # written (not reviewed), or first reviewed (not endorsed)
    age_days: int  # since the entry was written, on the day of the build

    @property
    def lessons(self) -> int:
        return len(self.entry.indexed_lessons)


@dataclass(frozen=True)
class ReviewQueue:
    not_reviewed: list[Waiting]
    not_endorsed: list[Waiting]

    def __len__(self) -> int:
        return len(self.not_reviewed) + len(self.not_endorsed)


def comments(threads) -> Iterator:
    """Every comment of a discussion, replies included."""
    for comment in threads:
        yield comment
        yield from comments(comment.replies)


def first_review(entry) -> datetime.datetime | None:
    """When a supervisor other than its author first commented on the entry."""
    dates = [
        comment.date
        for comment in comments(entry.discussion.threads)
        if comment.author.is_supervisor and comment.author.name != entry.author.name
    ]
    return min(dates, default=None)


def review_queue(entries, today: datetime.date) -> ReviewQueue:
    """The queue of the published entries (each with its `discussion` and `indexed_lessons`)."""
    not_reviewed, not_endorsed = [], []
    for entry in sorted(entries, key=lambda entry: entry.date):
        age = (today - entry.date.date()).days
        reviewed = first_review(entry)
        if reviewed is None:
            not_reviewed.append(Waiting(entry, entry.date, age))
        elif not entry.discussion.endorsements:
            not_endorsed.append(Waiting(entry, reviewed, age))
    return ReviewQueue(not_reviewed, not_endorsed)


def write_count_style(path: Path, count: int) -> None:
    """The queue's count for the header, as a stylesheet of its own.

    Drawn into every page, the count would make each new entry, comment or
    endorsement draw the whole site again (the page cache could keep none);
    one small file changes instead. CSS generated content is read out by
    screen readers; the text after "/" is what they say.
    """
    rule = (
        f'.review-count::after {{ content: "{count}"; content: "{count}" / "{count} waiting"; }}\n'
        if count
        else "/* The queue is empty. */\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"/* The review queue's count, written by each build (CASEBOOK_REVIEW_COUNT). */\n{rule}",
        encoding="utf-8",
    )
