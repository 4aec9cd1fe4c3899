"""Tags across the journal: one tag, one page, one spelling shown.

Pelican gives tags with the same address one page. Tags that are the same
words written differently ("anxious caller", "Anxious-Caller") are one tag:
everywhere it is shown with the spelling most entries use, and the entries
with another spelling get a warning. Tags that are different words but would
share an address (C++, C and C# all make tags/c/) are refused.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..problems import Problem, display_path
from ..settings import CasebookSettings
from .addresses import make_slug
from .characters import comparable, first_invisible
from .entries import tag_names
from .headers import Header


@dataclass(frozen=True)
class Tags:
    spelling: dict[str, str] = field(default_factory=dict)  # by address: the spelling shown
    problems: list[Problem] = field(default_factory=list)  # different words, one address
    warnings: list[Problem] = field(default_factory=list)  # the same tag, spelt another way


def words(tag: str) -> str:
    """A tag as a reader tells tags apart: capitals, spaces, hyphens and underscores make no
    difference."""
    return " ".join(re.split(r"[\s_-]+", comparable(tag))).strip()


def read_tags(headers: list[Header], settings: CasebookSettings) -> Tags:
    by_address: dict[str, dict[str, list[Header]]] = defaultdict(lambda: defaultdict(list))
    for header in headers:
        for tag in tag_names(header):
            address = make_slug(tag, settings.tag_substitutions)
            if address and not first_invisible(
                tag
            ):  # else reported already: the address, or the header line
                by_address[address][tag].append(header)
    tags = Tags()
    for address, spellings in by_address.items():
        # The spelling most entries use; on a tie, the one written first (files are read in order).
        shown = Counter({tag: len(where) for tag, where in spellings.items()}).most_common(1)[0][0]
        tags.spelling[address] = shown
        for tag, where in spellings.items():
            if tag != shown:
                (tags.warnings if words(tag) == words(shown) else tags.problems).extend(
                    Problem(
                        header.path,
                        header.line("tags"),
                        other_spelling(tag, shown, spellings[shown], address),
                    )
                    for header in where
                )
    return tags


def other_spelling(tag: str, shown: str, where: list[Header], address: str) -> str:
    elsewhere = f'"{shown}" in {display_path(where[0].path)}' + (
        f" and {len(where) - 1} more" if len(where) > 1 else ""
    )
    if words(tag) == words(shown):
        return (
            f'The tag "{tag}" is written {elsewhere}. They are one tag, shown as "{shown}"; '
            "write it that way here too."
        )
    return (
        f'The tag "{tag}" and the tag {elsewhere} would share one page, at the address '
        f'"{address}". '
        "If they are one tag, write it the same way; if not, tell them apart with letters or "
        "digits "
        '(for example "csharp" for C#).'
    )


def as_spelt(tag: str, spelling: dict[str, str], settings: CasebookSettings) -> str:
    """A tag as the journal already spells it, if it is the same tag (for files the tasks write)."""
    shown = spelling.get(make_slug(tag, settings.tag_substitutions))
    return shown if shown and words(shown) == words(tag) else tag
