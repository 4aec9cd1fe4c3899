"""What every export format is read into (the posts and comments worth importing, and what was left
out), and
the error that ends an import."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from ...problems import UserError

ANONYMOUS = "Anonymous"  # how Blogger and WordPress show an item whose writer left no name


class ImportRefused(UserError):
    """The import wrote nothing; the message says why and what to do."""


@dataclass(frozen=True)
class Post:
    key: str  # the export's own id for it; comments name it
    title: str
    html: str
    published: datetime.datetime  # with its time zone
    author: str
    tags: tuple[str, ...]
    address: str  # its old web address, or the last part of it: the new address keeps it
    draft: bool


@dataclass(frozen=True)
class Comment:
    key: str
    post: str  # the key of the post it is on
    parent: str  # the key of the comment it answers, "" if none
    html: str
    published: datetime.datetime
    author: str


@dataclass
class Export:
    kind: str  # "a Blogger export", ...: for the summary
    posts: list[Post] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    skipped: Counter[str] = field(
        default_factory=Counter
    )  # what was left out, by kind ("spam comment")
    problems: list[str] = field(default_factory=list)  # items that could not be read, each named


def person(name: str) -> str:
    """A writer's name as the roster spells names: single spaces; Anonymous when the export gives
    none."""
    return " ".join(name.split()) or ANONYMOUS
