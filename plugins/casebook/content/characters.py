"""Characters a writer cannot see, and names that only look the same.

An invisible character can change what a file means without changing how it
looks: a line separator (U+2028) inside a header line ends the line for one
program and not for another, a zero-width space makes "Ana Sousa" a second
person. Control characters are refused everywhere (the Atom feeds cannot hold
them); in header lines, and in names and tags, every invisible character is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Controls but tab and line feed (line endings are "\n" once a file is read, as Pelican reads it).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
C0_CONTROLS = bytes(
    [*range(9), 11, 12, *range(14, 32), 127]
)  # and delete; carriage returns end lines
NOT_PLAIN = re.compile(r"[^\t\n\x20-\x7e]")  # the few characters worth looking up
# Controls, format characters (zero-width spaces, joiners, direction marks), line and paragraph
# separators.
INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


def invisible(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match]:
    """The characters of text (from start to end) that cannot be seen; tabs and line feeds can."""
    return (
        match
        for match in NOT_PLAIN.finditer(text, start, len(text) if end is None else end)
        if unicodedata.category(match.group()) in INVISIBLE
    )


def first_invisible(text: str) -> str | None:
    return next((match.group() for match in invisible(text)), None)


def may_hold_controls(data: bytes) -> bool:
    """False if this UTF-8 text has no control character: a quick look, as a file seldom has one.
    C1 controls (U+0080 to U+009F) begin with the byte C2, as do £, ° and no-break spaces."""
    return len(data.translate(None, C0_CONTROLS)) != len(data) or b"\xc2" in data


def describe(character: str) -> str:
    name = unicodedata.name(character, "").lower() or "a control character"
    return f"U+{ord(character):04X} ({name})"


def comparable(name: str) -> str:
    """A name as a reader tells names apart: look-alike letters and spaces, capitals and
    invisible characters make no difference."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join("".join(c for c in folded if unicodedata.category(c) != "Cf").split())
