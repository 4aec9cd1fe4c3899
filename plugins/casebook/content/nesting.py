"""How deeply a file nests lists and block quotes, checked before Markdown reads it.

Python-Markdown parses nested lists and block quotes by recursion, and Pelican's
content cache pickles what the reader returns, also by recursion: measured with
Markdown 3.11 and Pelican 4.12, pickling failed from 70 to 100 levels (lists, or
lists in block quotes), Markdown itself from about 250 nested lists. Real
entries nest three or four levels; a pasted e-mail thread quotes perhaps ten
deep. 20 is far above the one and far below the other.
"""

from __future__ import annotations

import re

from markdown.blockprocessors import HRProcessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from ..problems import Problem

LIMIT = 20
# One level at the start of a line: four spaces or a tab of indentation (Markdown nests a
# list that much further in), a ">" of a block quote, or a list item's marker.
LEVEL = r"(?:[ ]{4}|\t|[ ]{0,3}>|[ ]{0,3}(?:[-*+]|\d{1,9}[.)])[ ])"
# After a line feed: ten times faster than at ^ in MULTILINE mode.
TOO_DEEP = re.compile(rf"\n{LEVEL}{{{LIMIT + 1},}}")


def too_deep(path, source: str) -> list[Problem]:
    """The first line nested more than LIMIT levels deep (source: a file's text, line feeds ending
    lines)."""
    for match in TOO_DEEP.finditer(f"\n{source}"):
        start = match.start()  # of the line, in source
        end = source.find("\n", start)
        line = source[start:] if end < 0 else source[start:end]
        if not HRProcessor.SEARCH_RE.match(line) and not in_fenced_code(source, start):
            return [
                Problem(
                    path,
                    source.count("\n", 0, start) + 1,
                    f"This line is nested more than {LIMIT} levels deep (lists in lists, or block "
                    "quotes in block quotes), which Casebook cannot build. Flatten the list or the "
                    "quotes. If it is pasted code or a log, put it between two lines of three "
                    "backticks (```) instead of indenting it.",
                )
            ]
    return []


def in_fenced_code(source: str, position: int) -> bool:
    # Found as Markdown finds fenced blocks: indentation inside them is only text.
    return any(
        block.start() < position < block.end()
        for block in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(source)
    )
