"""What to read next, at the end of an entry page: the entries before and after it by date, and up
to five related entries (shared tags and similar text).

Only published entries take part, so no entry ever points at a draft. The
result depends only on the entries, never on the order Pelican read them in.

Related entries in n·log n: each entry is described by its tags and its most
distinctive words (tf-idf). For every tag or word, the entries that have it
are listed by date; an entry is compared only with the NEIGHBOURS entries
closest to it in each of its lists, so a tag every entry has costs no more
than a rare one. Each shared tag or word adds its weight (rarer counts more,
a tag more than a word); the best five are kept, the nearest in date first
on a tie.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

RELATED = 5
NEIGHBOURS = 40  # per tag or word: how many entries near in date an entry is compared with
DISTINCTIVE_WORDS = 12  # per entry
TAG_WEIGHT = 3.0  # a shared tag says more than a shared word
# Words that say nothing of what an entry is about, however rare in a small journal.
COMMON = frozenset(
    """about after again also and any are back because been before being but can could did
    does down each even every for from had has have her here hers him his how into its just
    like more most much must not now off once one only other our out over said same she should
    some such than that the their them then there these they this those through too under
    until very was were what when where which while who why will with would you your""".split()
)


@dataclass(frozen=True, slots=True)
class ReadNext:
    previous: object | None  # older, a Pelican Article
    next: object | None  # newer
    related: tuple

    def shown(self) -> tuple:
        """What the entry page shows of other entries: what the page cache compares
        (page_cache.py)."""
        return tuple(
            (entry.title, entry.url, entry.date.isoformat(), bool(entry.discussion.endorsements))
            if entry
            else None
            for entry in (self.previous, self.next, *self.related)
        )


NOTHING = ReadNext(None, None, ())  # a draft's preview: it stands nowhere in the journal


def by_date(entries) -> list:
    return sorted(entries, key=lambda entry: (entry.date, entry.slug))


def place_read_next(entries, words: dict[str, Counter]) -> None:
    """Give each published entry `read_next`; `words` holds each entry's word counts, by slug."""
    ordered = by_date(entries)
    related = related_entries(ordered, words)
    for number, entry in enumerate(ordered):
        entry.read_next = ReadNext(
            ordered[number - 1] if number > 0 else None,
            ordered[number + 1] if number + 1 < len(ordered) else None,
            related[entry.slug],
        )


def features(ordered: list, words: dict[str, Counter]) -> list[list[tuple[str, float]]]:
    """Each entry's tags and most distinctive words, with their weights."""
    count = len(ordered)
    spread = Counter(word for entry in ordered for word in words[entry.slug])
    tagged = Counter(tag.slug for entry in ordered for tag in getattr(entry, "tags", None) or [])

    def rarity(how_many: int) -> float:
        return math.log((count + 1) / how_many)

    # Each word's rarity, worked out once: a word in one entry or common is never distinctive.
    rare = {
        word: rarity(entries)
        for word, entries in spread.items()
        if entries > 1 and word not in COMMON
    }
    described = []
    for entry in ordered:
        counts = words[entry.slug]
        distinctive = heapq.nlargest(
            DISTINCTIVE_WORDS,
            ((n * rare[word], word) for word, n in counts.items() if word in rare),
        )
        described.append(
            [(f"word:{word}", rare[word]) for _, word in distinctive]
            + [
                (f"tag:{tag.slug}", TAG_WEIGHT * rarity(tagged[tag.slug]))
                for tag in getattr(entry, "tags", None) or []
            ]
        )
    return described


def related_entries(ordered: list, words: dict[str, Counter]) -> dict[str, tuple]:
    """Up to RELATED entries for each entry, by slug: the highest shared weight first."""
    described = features(ordered, words)
    having: dict[str, list[int]] = defaultdict(list)  # feature -> entries, by date
    places = []  # per entry: (feature, weight, its place in that feature's list)
    for number, entry_features in enumerate(described):
        places.append([(name, weight, len(having[name])) for name, weight in entry_features])
        for name, _ in entry_features:
            having[name].append(number)
    related = {}
    for number, entry in enumerate(ordered):
        scores: dict[int, float] = defaultdict(float)
        for name, weight, place in places[number]:
            nearby = having[name]
            start = max(0, min(place - NEIGHBOURS // 2, len(nearby) - NEIGHBOURS))
            for other in nearby[start : start + NEIGHBOURS]:
                scores[other] += weight
        scores.pop(number, None)  # not related to itself
        related[entry.slug] = tuple(ordered[other] for other in best(scores, number))
    return related


def best(scores: dict[int, float], number: int) -> list[int]:
    """The RELATED entries that share the most with entry `number`: the highest score (to 9
    decimals) first, then the nearest in date, then the older."""
    if len(scores) > RELATED:
        # Hundreds of entries share a word or a tag; only those scoring about as much as the
        # RELATED-th best can be among the best (the margin is far wider than the rounding).
        least = sorted(scores.values(), reverse=True)[RELATED - 1] - 1e-6
        scores = {other: score for other, score in scores.items() if score >= least}
    ranked = sorted(
        scores, key=lambda other: (-round(scores[other], 9), abs(other - number), other)
    )
    return ranked[:RELATED]
