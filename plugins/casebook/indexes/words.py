"""The words of each published entry, counted once for two indexes: related entries (read_next.py)
and the search's "did you mean" vocabulary, a small file the archive fetches only when a query
finds nothing or very little (theme/static/js/search.js)."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..seams import raw_content

TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[^\W\d_]{3,}")  # letters only, three or more: what a misspelling can be of
LONGEST = 24  # longer runs of letters are not words a reader types (a pasted code, a URL's part)
VOCABULARY_SIZE = 20_000  # the most frequent words; a journal of 5,000 entries has fewer


def entry_words(entry) -> Counter:
    """The words of an entry's title and text (lessons included), lower case, with their counts."""
    text = f"{entry.title} {html.unescape(TAG.sub(' ', raw_content(entry)))}"
    return Counter(
        word for word in WORD.findall(text.lower().replace("’", "'")) if len(word) <= LONGEST
    )


def vocabulary(counts: Iterable[Counter]) -> list[str]:
    """The journal's words, most frequent first (a suggestion prefers a common word), then
    alphabetical: the same journal always gives the same file."""
    total: Counter = Counter()
    for words in counts:
        total.update(words)
    ordered = sorted(total.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ordered[:VOCABULARY_SIZE]]


def write_vocabulary(path: Path, words: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"words": words}, separators=(",", ":")), encoding="utf-8")
