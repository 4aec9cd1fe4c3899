"""The metadata header at the top of a content file (entries, comments and guide pages).

The file is cut into lines as Pelican and Python-Markdown cut it (on "\n" only,
after Markdown's own first step), and the header is parsed with the patterns of
Markdown's `meta` extension, which Pelican uses: so we see exactly the fields
Pelican will see, plus the line each one is on.
"""

from __future__ import annotations

import datetime
import difflib
import fnmatch
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE
from markdown.preprocessors import NormalizeWhitespace

from ..problems import Problem, display_path
from .characters import CONTROL, describe, invisible, may_hold_controls
from .nesting import too_deep
from .people import Roster, not_utf8

DATE_FORMAT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
SLUG_FORMAT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Markdown's first step on every file (tabs, stray spaces), with the tab length of our MARKDOWN
# settings.
MARKDOWN_FIRST_STEP = NormalizeWhitespace(Markdown())


@dataclass(frozen=True, slots=True)
class Field:
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class Header:
    path: Path
    fields: dict[str, Field]
    has_text: bool = True  # anything below the header
    digest: str = ""  # of the whole file: what a cached page built from it depends on

    def value(self, name: str) -> str:
        field = self.fields.get(name)
        return field.value if field else ""

    def line(self, name: str) -> int | None:
        field = self.fields.get(name)
        return field.line if field else None


def content_files(root: Path, ignored: tuple[str, ...], excluded: list[Path] = ()) -> list[Path]:
    """Every file under root, as Pelican walks them: names matching an IGNORE_FILES pattern skipped,
    linked folders followed.

    Sorted as paths sort (folder by folder). os.scandir and plain strings: with
    Path objects, walking 15,000 files took a second; with os.walk, which asks
    the system once more for each file, 0.14 s for 10,000 comments against 0.07 s.
    """
    unwanted = re.compile("|".join(map(fnmatch.translate, ignored))) if ignored else None
    skipped = {str(path) for path in excluded}
    found = []

    def walk(folder: str) -> None:
        try:
            listed = list(os.scandir(folder))
        except OSError:  # gone, or not readable: as os.walk, which Pelican uses, skip it
            return
        for entry in listed:
            if (unwanted and unwanted.match(entry.name)) or entry.path in skipped:
                continue
            if entry.is_dir():
                walk(entry.path)
            elif entry.is_file():
                found.append(entry.path)

    walk(str(root))
    found.sort(key=lambda path: path.split(os.sep))
    return [Path(path) for path in found]


def digest_of(data: bytes) -> str:
    """A content file's digest: what was checked is what is built when the digests match."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def source_text(data: bytes) -> str:
    """A content file's text as Pelican opens it: UTF-8 without its byte order mark, universal
    newlines."""
    return as_opened(data.decode("utf-8"))


def as_opened(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True, slots=True)
class Remembered:
    """What reading a file found, and the file as it was then."""

    stamp: tuple[int, ...]
    digest: str
    header: Header | None
    problems: tuple[Problem, ...]


# Every check in this process (each build of `invoke livereload`) reads only the files that changed.
_remembered: dict[Path, Remembered] = {}


def file_stamp(path: Path) -> tuple[int, ...]:
    """Changes with every write to the file. The change time is in it because no tool can set it
    back (cp -p, touch -r and sync tools keep a file's modification time, not its change time)."""
    status = path.stat()
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


def read_header(path: Path) -> tuple[Header | None, list[Problem]]:
    """The file's header and its own problems, read again only if the file changed since the last
    time (by its size and times, else by its digest): a header depends on nothing else."""
    stamp = file_stamp(path)  # before reading: a file saved meanwhile is read again next time
    known = _remembered.get(path)
    if known is None or known.stamp != stamp:
        data = path.read_bytes()
        digest = digest_of(data)
        if known is None or known.digest != digest:
            header, problems = parse_bytes(path, data)
            known = Remembered(stamp, digest, header, tuple(problems))
        _remembered[path] = Remembered(stamp, digest, known.header, known.problems)
    return known.header, list(known.problems)


def parse_bytes(path: Path, data: bytes) -> tuple[Header | None, list[Problem]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [not_utf8(path, error)]
    return parse_header(path, text)


def parse_header(path: Path, text: str) -> tuple[Header, list[Problem]]:
    source = as_opened(text)  # Markdown then splits it on "\n" only
    # The header ends at the first empty line at the latest: only that far is Markdown's first step
    # needed.
    first_empty = source.find("\n\n")
    raw_lines = (source if first_empty < 0 else source[:first_empty]).split("\n")
    fields, header_end, problems = read_fields(path, MARKDOWN_FIRST_STEP.run(raw_lines))
    body = sum(
        len(line) + 1 for line in raw_lines[:header_end]
    )  # where the text below the header starts
    data = text.encode()
    problems += invisible_characters(path, source, body, may_hold_controls(data)) + too_deep(
        path, source
    )
    return Header(path, fields, bool(source[body:].strip()), digest_of(data)), problems


def read_fields(path: Path, lines: list[str]) -> tuple[dict[str, Field], int, list[Problem]]:
    """The fields, and the number of lines up to the text (the header and the blank line after
    it)."""
    fields: dict[str, Field] = {}
    problems: list[Problem] = []
    start = 1 if lines and BEGIN_RE.match(lines[0]) else 0
    key = None
    for number, line in enumerate(lines[start:], start + 1):
        if not line.strip() or END_RE.match(line):
            return fields, number, problems
        if match := META_RE.match(line):
            key = match.group("key").lower()
            if key in fields:
                problems.append(
                    Problem(
                        path,
                        number,
                        f'"{match.group("key")}" is written twice '
                        f"(first on line {fields[key].line}). Keep one of them.",
                    )
                )
            else:
                fields[key] = Field(match.group("value").strip(), number)
        elif key and (more := META_MORE_RE.match(line)):
            fields[key] = Field(
                f"{fields[key].value}\n{more.group('value').strip()}", fields[key].line
            )
        else:
            return fields, number - 1, problems
    return fields, len(lines), problems


def invisible_characters(path: Path, source: str, body: int, controls: bool) -> list[Problem]:
    """Header lines (up to `body`) may hold no invisible character, the text below no control
    character.
    `controls`: whether the file may hold any at all."""
    found = list(invisible(source, 0, body))
    found += CONTROL.finditer(source, body) if controls else []
    lines: dict[int, str] = {}  # the first such character of each line
    for match in found:
        lines.setdefault(source.count("\n", 0, match.start()) + 1, match.group())
    return [
        Problem(
            path,
            number,
            f"This line holds an invisible character, {describe(character)}, "
            "probably pasted from another program. It can hide part of the line from Casebook's "
            "checks, or stop the build. Delete the line and type it again.",
        )
        for number, character in lines.items()
    ]


def check_fields(header: Header, kind: str, required: tuple, optional: tuple) -> list[Problem]:
    """Required fields that are missing or empty, and fields the contract does not know."""
    problems = [
        Problem(
            header.path,
            1,
            f'The {kind} has no {name.title()}. Add a line "{name.title()}: ..." '
            "to the header at the top of the file (before the first blank line).",
        )
        for name in required
        if not header.value(name)
    ]
    known = required + optional
    for name, field in header.fields.items():
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f' Did you mean "{close[0].title()}"?' if close else ""
            problems.append(
                Problem(
                    header.path,
                    field.line,
                    f'"{name.title()}" is not a field of this '
                    f"{kind}.{hint} The fields are {', '.join(n.title() for n in known)}. "
                    "If this line is part of the text, leave a blank line above it.",
                )
            )
        elif "\n" in field.value and name != "summary":
            # Pelican makes a list of a field written on several lines (or keeps only its first
            # line).
            problems.append(
                Problem(
                    header.path,
                    field.line,
                    f'"{name.title()}" goes on over the next, '
                    "indented line. Write it on one line (only a Summary may take several).",
                )
            )
    return problems


def parse_date(value: str) -> datetime.datetime:
    """A YYYY-MM-DD[ HH:MM[:SS]] date; ValueError says what is wrong with any other."""
    match = DATE_FORMAT.match(value)
    if not match:
        raise ValueError(
            f'Date "{value}" is not in the form YYYY-MM-DD. '
            "Write it like 2024-03-05 (a time may follow: 2024-03-05 14:30)."
        )
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in match.groups())
    try:
        return datetime.datetime(year, month, day, hour, minute, second)
    except ValueError as error:
        raise ValueError(
            f'Date "{value}" is not a real date ({error}). Check the day and month.'
        ) from None


def check_date(header: Header) -> list[Problem]:
    if not header.value("date"):
        return []
    try:
        parse_date(header.value("date"))
    except ValueError as error:
        return [Problem(header.path, header.line("date"), str(error))]
    return []


def check_author(header: Header, roster: Roster | None) -> list[Problem]:
    """The author must be on the roster (unless the roster itself could not be read)."""
    author = header.value("author")
    if not author or roster is None or author in roster:
        return []
    close = difflib.get_close_matches(author, sorted(roster.names), n=1)
    hint = f' Did you mean "{close[0]}"?' if close else ""
    return [
        Problem(
            header.path,
            header.line("author"),
            f'Author "{author}" is not on the roster.{hint} '
            f"Write the name exactly as in {display_path(roster.path)}, or add the person there.",
        )
    ]
