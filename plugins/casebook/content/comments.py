"""Comments and endorsements (content/comments/<entry-slug>/*.md).

Checked before the build like entries; after Pelican has read the entries,
each entry gets its comment threads and endorsements.
"""

from __future__ import annotations

import datetime
import difflib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem
from .headers import SLUG_FORMAT, Header, check_author, check_date, check_fields, parse_date
from .people import Person, Roster

REQUIRED_FIELDS = ("author", "date")
OPTIONAL_FIELDS = ("endorsement", "replyto", "slug")
ENDORSEMENT_VALUES = ("yes", "no")


def comment_slug(header: Header) -> str:
    """A comment's own address within its entry: its Slug, or else its file name."""
    return header.value("slug") or header.path.stem


def endorses(header: Header) -> bool:
    return header.value("endorsement").lower() == "yes"


def check_comment(
    header: Header, entry: Header | None, siblings: set[str], roster: Roster | None
) -> list[Problem]:
    """Problems with one comment. `entry` is the entry it belongs to (None: no such
    entry, already reported); `siblings` are the slugs of the comments beside it."""
    path, author = header.path, header.value("author")
    problems = check_fields(header, "comment", REQUIRED_FIELDS, OPTIONAL_FIELDS)
    problems += check_date(header) + check_author(header, roster)
    slug = comment_slug(header)
    if not SLUG_FORMAT.match(slug):
        where = header.line("slug") or None
        problems.append(
            Problem(
                path,
                where,
                f'The comment\'s address "{slug}" (its Slug, or else its '
                "file name) can only hold lower-case letters, digits and hyphens. "
                "Rename the file, or set a Slug such as julie-hill-1.",
            )
        )
    endorsement = header.value("endorsement").lower()
    if endorsement and endorsement not in ENDORSEMENT_VALUES:
        problems.append(
            Problem(
                path,
                header.line("endorsement"),
                f'Endorsement "{header.value("endorsement")}" '
                'must be "yes" (or the line left out).',
            )
        )
    if endorses(header) and roster is not None and author in roster:
        person = roster.people.get(author)
        if person and not person.is_supervisor:
            problems.append(
                Problem(
                    path,
                    header.line("endorsement"),
                    f"Only supervisors can endorse an entry, "
                    f"and {author} is {person.role}. Leave the endorsement out (the "
                    "Endorsement line, or --endorse), or ask a supervisor to endorse the entry.",
                )
            )
        if entry is not None and author == entry.value("author"):
            problems.append(
                Problem(
                    path,
                    header.line("endorsement"),
                    f"{author} wrote this entry and cannot "
                    "endorse it. Leave the endorsement out (the Endorsement line, or --endorse); "
                    "another supervisor may endorse it.",
                )
            )
    reply_to = header.value("replyto")
    if reply_to and (reply_to not in siblings or reply_to == slug):
        close = difflib.get_close_matches(reply_to, sorted(siblings - {slug}), n=1)
        hint = f' Did you mean "{close[0]}"?' if close else ""
        problems.append(
            Problem(
                path,
                header.line("replyto"),
                f'Replyto "{reply_to}" names no other comment on '
                f"this entry.{hint} Write the file name (without .md) of the comment you "
                "reply to, from the same folder.",
            )
        )
    return problems


def check_comment_files(
    headers: list[Header],
    folder: str,
    entries: dict[str, Header],
    roster: Roster | None,
    every_address_known: bool = True,
) -> list[Problem]:
    """All the comments in one entry's folder. While an entry has no address (no Title, already
    reported), a folder matching no entry may be that entry's: it is not reported then."""
    entry = entries.get(folder)
    problems = []
    if entry is None and every_address_known:
        close = difflib.get_close_matches(folder, sorted(entries), n=1)
        hint = f' Did you mean "{close[0]}"?' if close else ""
        problems += [
            Problem(
                header.path,
                None,
                f'The folder "{folder}" matches no entry.{hint} A comment '
                "goes in a folder named after its entry's address (the last part of its web "
                "address, for example refund-by-friday). If the entry's title changed, keep its "
                f'old address with a line "Slug: {folder}" in the entry.',
            )
            for header in headers
        ]
    elif entry is not None and entry.value("status") == "draft":
        problems += [
            Problem(
                header.path,
                None,
                f'The entry "{folder}" is a draft, and drafts take no '
                "comments. Keep the comment until the entry is published.",
            )
            for header in headers
        ]
    slugs = [comment_slug(header) for header in headers]
    for header in headers:
        problems += check_comment(header, entry, set(slugs), roster)
        if slugs.count(comment_slug(header)) > 1:
            problems.append(
                Problem(
                    header.path,
                    header.line("slug"),
                    f"Another comment on this entry has the "
                    f'address "{comment_slug(header)}". Give one of them a different Slug.',
                )
            )
    return problems + reply_loops(headers)


def reply_loops(headers: list[Header]) -> list[Problem]:
    parent = {comment_slug(h): h.value("replyto") for h in headers}
    problems = []
    for header in headers:
        seen, current = set(), comment_slug(header)
        while current in parent and parent[current] and current not in seen:
            seen.add(current)
            current = parent[current]
        if current == comment_slug(header) and seen:
            problems.append(
                Problem(
                    header.path,
                    header.line("replyto"),
                    "These replies answer each other in "
                    "a circle, so none of them can be shown. One of them must not be a reply.",
                )
            )
    return problems


@dataclass(slots=True)
class Comment:
    """A checked comment, ready for the templates."""

    slug: str
    author: Person
    date: datetime.datetime
    endorses: bool
    reply_to: str
    source: Path
    render: Callable[[Path], str] = field(repr=False)
    replies: list[Comment] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"comment-{self.slug}"

    @property
    def html(self) -> str:
        # Drawn when a page shows it (an entry page kept from the last build needs none),
        # and not kept afterwards: each comment is shown on one page.
        return self.render(self.source)


@dataclass(slots=True)
class Discussion:
    """An entry's comments: threads in date order, and who endorsed it."""

    threads: list[Comment]
    count: int
    endorsements: list[Comment]

    @property
    def last_endorsed(self) -> datetime.datetime | None:
        return self.endorsements[-1].date if self.endorsements else None


def discussion(headers: list[Header], roster: Roster, render, timezone) -> Discussion:
    """Thread one entry's checked comments. `render(path)` gives a comment's safe HTML."""
    comments = sorted(
        (
            Comment(
                comment_slug(h),
                roster.people[h.value("author")],
                timezone(parse_date(h.value("date"))),
                endorses(h) and h.has_text,
                h.value("replyto"),
                h.path,
                render,
            )
            for h in headers
        ),
        key=lambda comment: (comment.date, comment.slug),
    )
    by_slug = {comment.slug: comment for comment in comments}
    threads = []
    for comment in comments:
        (by_slug[comment.reply_to].replies if comment.reply_to else threads).append(comment)
    return Discussion(threads, len(comments), [comment for comment in comments if comment.endorses])


def group_by_folder(headers: list[Header], comments_root: Path) -> dict[str, list[Header]]:
    folders: dict[str, list[Header]] = defaultdict(list)
    for header in headers:
        folders[header.path.relative_to(comments_root).parts[0]].append(header)
    return folders
