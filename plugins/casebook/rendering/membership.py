"""Let Pelican find a tag's, author's or category's entries in one pass.

Before drawing each tag, author and category page, Pelican picks that
listing's entries out of all entries in date order with `entry in entries`,
and `entries` is a list: every test walks it. At 5,000 entries that is about
2 seconds of every build, growing with the square of the journal's size.
Giving each listing a tuple that answers `in` from a set makes it one pass.
"""

from __future__ import annotations

from ..seams import replace_listings


class Listing(tuple):
    """A listing's entries, in Pelican's order, that answer `in` without a walk.

    A tuple, so that the set can never disagree with it.
    """

    def __new__(cls, entries):
        listing = super().__new__(cls, entries)
        listing._members = frozenset(listing)  # entries compare and hash by identity
        return listing

    def __contains__(self, entry) -> bool:
        return entry in self._members


def use_listings(generator) -> None:
    """Connected to `article_generator_finalized`, after Pelican has gathered and sorted its
    listings."""
    replace_listings(generator, Listing)
