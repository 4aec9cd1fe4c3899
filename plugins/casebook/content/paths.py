"""Reading paths (content/paths/<name>.toml): a trainer's ordered list of entries to read.

    title = "Before your first phone shift"
    intro = "Read these in order."

    [[entry]]
    slug = "silence-on-the-line"
    note = "Read this before your first phone shift."

Checked with the rest of the content: every slug must be a published entry.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem
from .headers import SLUG_FORMAT, Header, content_files
from .people import not_utf8, toml_problem

FIELDS = ("title", "intro", "entry")
STEP_FIELDS = ("slug", "note")
EXAMPLE = '[[entry]] followed by a line slug = "silence-on-the-line"'


@dataclass(frozen=True, slots=True)
class Step:
    slug: str
    note: str


@dataclass(frozen=True, slots=True)
class ReadingPath:
    name: str  # the file's name without .toml: the path's address
    title: str
    intro: str
    steps: tuple[Step, ...]


class PathFile:
    """One path file's text, to say on which line each thing is."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()
        self.tables = [
            n for n, line in enumerate(self.lines, 1) if re.match(r"^\s*\[\[\s*entry\s*\]\]", line)
        ]

    def line_of(self, key: str, table: int | None = None) -> int | None:
        """The line of `key = ...` (or of a table named key) in the [[entry]] table starting on line
        `table`, or else above the first one; else the table's own line."""
        start = table or 0
        end = next((n for n in self.tables if n > start), len(self.lines) + 1)
        pattern = re.compile(rf"^\s*(\[\[?\s*{re.escape(key)}\s*\]|{re.escape(key)}\s*=)")
        return next((n for n in range(start + 1, end) if pattern.match(self.lines[n - 1])), table)

    def problem(self, line: int | None, message: str) -> Problem:
        return Problem(self.path, line, message)


def check_paths(
    folder: Path, ignored: tuple[str, ...], entries: dict[str, Header]
) -> tuple[list[ReadingPath], list[Problem], list[Problem]]:
    """The reading paths under folder, their problems, and warnings (files that are not paths)."""
    paths, problems, warnings = [], [], []
    for source in content_files(folder, ignored) if folder.is_dir() else []:
        if source.suffix != ".toml" or source.parent != folder:
            warnings.append(
                Problem(
                    source,
                    None,
                    "This file is not a reading path and is left out: a path is "
                    f"a .toml file directly in {folder.name}/.",
                )
            )
            continue
        path, path_problems = read_path(source, entries)
        problems += path_problems
        if path:
            paths.append(path)
    return paths, problems, warnings


def read_path(source: Path, entries: dict[str, Header]) -> tuple[ReadingPath | None, list[Problem]]:
    try:
        text = source.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [not_utf8(source, error)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, [toml_problem(source, error, 'title = "...", then for each entry ' + EXAMPLE)]
    file = PathFile(source, text)
    problems = check_top(file, data)
    steps = data.get("entry")
    if (
        not isinstance(steps, list)
        or not steps
        or not all(isinstance(step, dict) for step in steps)
    ):
        problems.append(
            file.problem(
                file.line_of("entry"),
                "This path lists no entries. Add one "
                f"{EXAMPLE} for each entry, in the order to read them.",
            )
        )
        steps = []
    seen: set[str] = set()
    for step, table in zip(steps, file.tables + [None] * len(steps)):
        problems += check_step(file, table, step, entries, seen)
    if problems:
        return None, problems
    return ReadingPath(
        source.stem,
        data["title"].strip(),
        data.get("intro", "").strip(),
        tuple(Step(step["slug"], step.get("note", "").strip()) for step in steps),
    ), []


def check_top(file: PathFile, data: dict) -> list[Problem]:
    problems = []
    if not SLUG_FORMAT.match(file.path.stem):
        problems.append(
            file.problem(
                None,
                "A path's file name is its web address, so it can only hold "
                "lower-case letters, digits and hyphens, for example first-phone-shift.toml. "
                "Rename the file.",
            )
        )
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(
            file.problem(
                file.line_of("title") or 1,
                "This path has no title. Add a line such as "
                'title = "Before your first phone shift" at the top of the file.',
            )
        )
    if not isinstance(data.get("intro", ""), str):
        problems.append(
            file.problem(file.line_of("intro"), 'Write the intro in quotes: intro = "...".')
        )
    problems += unknown_fields(file, data, FIELDS, None)
    return problems


def check_step(
    file: PathFile, table: int | None, step: dict, entries: dict[str, Header], seen: set[str]
) -> list[Problem]:
    """One [[entry]] table: a slug naming a published entry, listed once, and an optional note."""
    slug, where = step.get("slug"), file.line_of("slug", table)
    problems = unknown_fields(file, step, STEP_FIELDS, table)
    if not isinstance(step.get("note", ""), str):
        problems.append(
            file.problem(file.line_of("note", table), 'Write the note in quotes: note = "...".')
        )
    if not isinstance(slug, str) or not slug:
        return problems + [
            file.problem(
                table,
                "This entry of the path has no slug. Add a line such as "
                'slug = "silence-on-the-line" (the last part of the entry\'s web address).',
            )
        ]
    entry = entries.get(slug)
    if entry is None:
        close = difflib.get_close_matches(slug, sorted(entries), n=1)
        hint = f' Did you mean "{close[0]}"?' if close else ""
        problems.append(
            file.problem(
                where,
                f'No entry has the address "{slug}".{hint} Write the last part of '
                "the entry's web address, for example silence-on-the-line. If the entry's "
                f'title changed, keep its old address with a line "Slug: {slug}" in the entry.',
            )
        )
    elif entry.value("status") == "draft":
        problems.append(
            file.problem(
                where,
                f'The entry "{slug}" is a draft, and a path only leads to published '
                "entries. Take it out of the path until it is published.",
            )
        )
    if slug in seen:
        problems.append(
            file.problem(where, f'"{slug}" is already in this path. List each entry once.')
        )
    seen.add(slug)
    return problems


def unknown_fields(
    file: PathFile, table: dict, known: tuple[str, ...], line: int | None
) -> list[Problem]:
    problems = []
    for name in sorted(set(table) - set(known)):
        close = difflib.get_close_matches(name, known, n=1)
        hint = f' Did you mean "{close[0]}"?' if close else ""
        problems.append(
            file.problem(
                file.line_of(name, line),
                f'"{name}" is not a field here.{hint} Use {", ".join(known)}.',
            )
        )
    return problems
