"""What the writing desk's forms become: the file `invoke new` or `invoke comment` would write, and
the build's own problems with it, each put next to the field it is about.

Nothing here reads the request: a form is plain text fields. The paths come from authoring.py, from
the entry's slug or the date and author; the checks are the build's (authoring.entry_problems and
comment_problems, the privacy scanner).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ...content.headers import Header, parse_date, parse_header
from ...content.privacy.journal import journal_scanner
from ...content.validation import CheckedContent
from ...problems import Problem
from ...settings import CasebookSettings
from ..authoring import date_text, file_text, starting_text

FORM = "form"  # messages about the whole form, not one field
TEXT = "text"
MISSING = re.compile(r"has no (\w+)\. Add a line")  # check_fields: a required field left empty


@dataclass(frozen=True)
class EntryForm:
    title: str = ""
    date: str = ""
    author: str = ""
    tags: str = ""
    channel: str = ""
    summary: str = ""
    text: str = ""
    slug: str = ""  # an edited entry keeps its address
    status: str = ""

    @classmethod
    def blank(cls, now: datetime.datetime) -> EntryForm:
        return cls(date=date_text(now), text=starting_text())

    @classmethod
    def posted(cls, argument) -> EntryForm:
        """The form as sent; `argument(name)` gives a field's text ("" when absent)."""
        typed = ("title", "date", "author", "tags", "channel", "summary")  # not slug or status
        return cls(**{name: one_line(argument(name)) for name in typed}).with_text(argument(TEXT))

    @classmethod
    def of_file(cls, header: Header, text: str) -> EntryForm:
        values = {name: field.value for name, field in header.fields.items()}
        known = {field.name for field in fields(cls)} - {TEXT}
        return cls(**{name: value for name, value in values.items() if name in known}).with_text(
            body_of(text)
        )

    def with_text(self, text: str) -> EntryForm:
        return replace(self, text=text.replace("\r\n", "\n").replace("\r", "\n"))

    def file_text(self, draft: bool) -> str:
        header = {
            "title": self.title,
            "date": self.date,
            "author": self.author,
            "tags": ", ".join(tag.strip() for tag in self.tags.split(",") if tag.strip()),
            "channel": self.channel,
            "summary": self.summary,
            "slug": self.slug,
            "status": "draft" if draft else "",
        }
        return file_text(header, self.text.rstrip("\n") + "\n")

    def when(self, now: datetime.datetime) -> datetime.datetime:
        """The entry's date, for its file name (a date the check refuses names no file)."""
        try:
            return parse_date(self.date)
        except ValueError:
            return now


@dataclass(frozen=True)
class CommentForm:
    author: str = ""
    text: str = ""
    replyto: str = ""
    endorse: bool = False

    @classmethod
    def posted(cls, argument) -> CommentForm:
        return cls(
            one_line(argument("author")),
            argument(TEXT).replace("\r\n", "\n").replace("\r", "\n"),
            one_line(argument("replyto")),
            argument("endorse") == "yes",
        )

    def file_text(self, now: datetime.datetime) -> str:
        header = {
            "author": self.author,
            "date": date_text(now),
            "endorsement": "yes" if self.endorse else "",
            "replyto": self.replyto,
        }
        return file_text(header, self.text.strip("\n") + "\n" if self.text.strip() else "")


def one_line(value: str) -> str:
    """A header field is one line: a pasted line break would start another field."""
    return " ".join(value.split())


def body_of(text: str) -> str:
    """The text below a content file's header."""
    _, _, body = text.replace("\r\n", "\n").partition("\n\n")
    return body


@dataclass
class Messages:
    """The build's messages on a form, by field; warnings only hold a save until it is repeated."""

    errors: dict[str, list[str]]
    warnings: dict[str, list[str]]

    @property
    def digest(self) -> str:
        """Of the warnings: saving again with the same warnings keeps the text as written."""
        text = repr(sorted((name, sorted(found)) for name, found in self.warnings.items()))
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()

    def holds(self, warned: str) -> bool:
        """Whether the form may not be saved yet: errors, or warnings not shown before."""
        return bool(self.errors) or (bool(self.warnings) and warned != self.digest)

    def as_json(self) -> dict:
        return {"errors": self.errors, "warnings": self.warnings, "digest": self.digest}


def by_field(path: Path, text: str, problems: list[Problem]) -> dict[str, list[str]]:
    """Each problem under the field its line holds; a line below the header is the text's."""
    header, _ = parse_header(path, text)
    on_line = {field.line: name for name, field in header.fields.items()}
    placed: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        missing = MISSING.search(problem.message)
        if missing:
            name = missing.group(1).lower()
        elif problem.line is None:
            name = FORM
        else:
            name = on_line.get(problem.line, TEXT)
        placed[name].append(problem.message)
    return dict(placed)


def privacy_findings(
    settings: CasebookSettings, content: CheckedContent, path: Path, text: str
) -> dict[str, list[str]]:
    """The privacy scan's findings on the would-be file, masked, under their fields."""
    scan = journal_scanner(settings, content.roster).scan([(path, text)])[0]
    header, _ = parse_header(path, text)
    text_starts = max((field.line for field in header.fields.values()), default=0) + 1
    # The build's own warning, where it names file:line:column: the line in the form's field.
    found = [
        Problem(
            path,
            finding.line,
            str(finding).replace(
                finding.where,
                f"Line {finding.line - text_starts}" if finding.line > text_starts else "Here",
                1,
            ),
        )
        for finding in scan.findings
    ]
    return by_field(path, text, found)


def merged(*groups: dict[str, list[str]]) -> dict[str, list[str]]:
    together: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        for name, found in group.items():
            together[name] += found
    return dict(together)
