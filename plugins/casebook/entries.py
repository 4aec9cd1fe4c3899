"""Entry files: read their metadata header and check it against the contract.

The header is parsed with the same patterns as Python-Markdown's `meta`
extension, which Pelican uses, so we see exactly the fields Pelican will see,
plus the line each one is on.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE
from pelican.utils import slugify

from .people import Roster, not_utf8
from .problems import Problem, display_path
from .settings import CasebookSettings

REQUIRED_FIELDS = ("title", "date", "author")
OPTIONAL_FIELDS = ("tags", "summary", "channel", "slug", "status")
STATUSES = ("published", "draft")
DATE_FORMAT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
SLUG_FORMAT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Field:
    value: str
    line: int


@dataclass(frozen=True)
class EntryHeader:
    path: Path
    fields: dict[str, Field]

    def value(self, name: str) -> str:
        field = self.fields.get(name)
        return field.value if field else ""

    def line(self, name: str) -> int | None:
        field = self.fields.get(name)
        return field.line if field else None


def entry_files(settings: CasebookSettings) -> list[Path]:
    """Every file under the entry folders, as Pelican walks them (hidden ones skipped)."""
    excluded = [settings.content_path / exclude for exclude in settings.entry_excludes]

    def is_entry_file(path: Path) -> bool:
        hidden = any(part.startswith(".") for part in path.relative_to(settings.content_path).parts)
        return path.is_file() and not hidden and not any(path.is_relative_to(e) for e in excluded)

    return [path for folder in settings.entry_paths
            for path in sorted((settings.content_path / folder).rglob("*")) if is_entry_file(path)]


def read_header(path: Path) -> tuple[EntryHeader | None, list[Problem]]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [not_utf8(path, error)]
    fields: dict[str, Field] = {}
    problems: list[Problem] = []
    lines = text.removeprefix("\ufeff").splitlines()
    start = 1 if lines and BEGIN_RE.match(lines[0]) else 0
    key = None
    for number, line in enumerate(lines[start:], start + 1):
        if not line.strip() or END_RE.match(line):
            break
        if match := META_RE.match(line):
            key = match.group("key").lower()
            if key in fields:
                problems.append(Problem(path, number, f'"{match.group("key")}" is written twice '
                                        f"(first on line {fields[key].line}). Keep one of them."))
            else:
                fields[key] = Field(match.group("value").strip(), number)
        elif key and (more := META_MORE_RE.match(line)):
            fields[key] = Field(f"{fields[key].value}\n{more.group('value').strip()}", fields[key].line)
        else:
            break
    return EntryHeader(path, fields), problems


def check_header(header: EntryHeader, roster: Roster | None, settings: CasebookSettings) -> list[Problem]:
    """Problems with one entry's fields; `roster` is None when it could not be read."""
    path = header.path
    problems = [
        Problem(path, 1, f"The entry has no {name.title()}. Add a line \"{name.title()}: ...\" "
                "to the header at the top of the file (before the first blank line).")
        for name in REQUIRED_FIELDS
        if not header.value(name)
    ]
    for name, field in header.fields.items():
        if name not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
            problems.append(unknown_field(path, name, field))
    if header.value("date"):
        problems += check_date(path, header.fields["date"])
    if header.value("author") and roster is not None and header.value("author") not in roster:
        problems.append(unknown_author(path, header.fields["author"], roster))
    if header.value("channel") and header.value("channel") not in settings.channels:
        allowed = ", ".join(settings.channels)
        problems.append(Problem(path, header.line("channel"), f'Channel "{header.value("channel")}" '
                                f"is not one we know. Use one of: {allowed}."))
    if header.value("slug") and not SLUG_FORMAT.match(header.value("slug")):
        problems.append(Problem(path, header.line("slug"), f'Slug "{header.value("slug")}" can only '
                                "hold lower-case letters, digits and hyphens, for example "
                                f'"{slug_for(header.value("slug"), settings)}".'))
    if header.value("status") and header.value("status") not in STATUSES:
        problems.append(Problem(path, header.line("status"), f'Status "{header.value("status")}" is '
                                'not one we know. Write "Status: draft" to keep the entry unpublished, '
                                "or remove the line."))
    return problems


def unknown_field(path: Path, name: str, field: Field) -> Problem:
    known = REQUIRED_FIELDS + OPTIONAL_FIELDS
    close = difflib.get_close_matches(name, known, n=1)
    hint = f' Did you mean "{close[0].title()}"?' if close else ""
    fields = ", ".join(name.title() for name in known)
    return Problem(path, field.line, f'"{name.title()}" is not an entry field.{hint} The fields are '
                   f"{fields}. If this line is part of the text, leave a blank line above it.")


def check_date(path: Path, field: Field) -> list[Problem]:
    match = DATE_FORMAT.match(field.value)
    if not match:
        return [Problem(path, field.line, f'Date "{field.value}" is not in the form YYYY-MM-DD. '
                        "Write it like 2024-03-05 (a time may follow: 2024-03-05 14:30).")]
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in match.groups())
    try:
        datetime.datetime(year, month, day, hour, minute, second)
    except ValueError as error:
        return [Problem(path, field.line, f'Date "{field.value}" is not a real date ({error}). '
                        "Check the day and month.")]
    return []


def unknown_author(path: Path, field: Field, roster: Roster) -> Problem:
    close = difflib.get_close_matches(field.value, sorted(roster.names), n=1)
    hint = f' Did you mean "{close[0]}"?' if close else ""
    return Problem(path, field.line, f'Author "{field.value}" is not on the roster.{hint} Write the '
                   f"name exactly as in {display_path(roster.path)}, or add the person there.")


def slug_for(title: str, settings: CasebookSettings) -> str:
    """The slug Pelican gives an entry with this title and no Slug field."""
    return slugify(title, regex_subs=settings.slug_substitutions)


def entry_slug(header: EntryHeader, settings: CasebookSettings) -> str:
    return header.value("slug") or slug_for(header.value("title"), settings)


def duplicate_slugs(headers: list[EntryHeader], settings: CasebookSettings) -> list[Problem]:
    by_slug: dict[str, list[EntryHeader]] = defaultdict(list)
    for header in headers:
        if header.value("title"):
            by_slug[entry_slug(header, settings)].append(header)
    problems = []
    for slug, same in by_slug.items():
        for header in same if len(same) > 1 else []:
            others = ", ".join(display_path(other.path) for other in same if other is not header)
            problems.append(Problem(header.path, header.line("slug") or header.line("title"),
                                    f'Another entry has the same address "{slug}": {others}. '
                                    'Change one title, or give one entry its own "Slug: ..." line.'))
    return problems
