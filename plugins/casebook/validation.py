"""Check all the content at once, before anything is built."""

from __future__ import annotations

from dataclasses import dataclass

from .entries import EntryHeader, check_header, duplicate_slugs, entry_files, read_header
from .people import Roster, load_roster
from .problems import Problem
from .settings import CasebookSettings


@dataclass(frozen=True)
class CheckedContent:
    roster: Roster
    entries: list[EntryHeader]
    problems: list[Problem]
    warnings: list[Problem]


def check_content(settings: CasebookSettings) -> CheckedContent:
    roster, problems = load_roster(settings.people_file)
    # With no readable roster, every author would be "unknown": say it once.
    usable_roster = roster if roster.names or not problems else None
    entries, warnings = [], []
    for path in entry_files(settings):
        if path.suffix != ".md":
            warnings.append(Problem(path, None, "This file is not an entry and is left out: "
                                    "entries are Markdown files whose names end in .md."))
            continue
        header, header_problems = read_header(path)
        problems += header_problems
        if header:
            entries.append(header)
            problems += check_header(header, usable_roster, settings)
    problems += duplicate_slugs(entries, settings)
    return CheckedContent(roster, entries, problems, warnings)
