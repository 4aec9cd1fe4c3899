"""The web addresses content gets: made as Pelican makes them, and usable.

Pelican makes an address (a slug) from a title, a tag or a name by keeping its
letters and digits. A title of emoji only makes none, so the entry would be
written over its month's archive; a very long one makes a folder name the
disk refuses. Names and tags that make the same slug share one page.
"""

from __future__ import annotations

import functools

from pelican.utils import slugify

# A folder or file name holds at most 255 bytes, and a tag's feed adds ".atom.xml" to its slug;
# real titles make far shorter slugs.
MAX_SLUG_BYTES = 200


@functools.lru_cache(
    maxsize=65536
)  # each is asked for more than once, tags and names in entry after entry
def make_slug(text: str, substitutions: tuple) -> str:
    """The slug Pelican makes from a title, a tag or a name, with the setting's substitutions."""
    return slugify(text, regex_subs=substitutions)


def unusable(slug: str) -> str | None:
    """Why this slug cannot be a web address, said of what it was made from; None if it can."""
    if not slug:
        return "has no letters or digits to make a web address from"
    if len(slug.encode()) > MAX_SLUG_BYTES:
        return (
            f"makes a web address of {len(slug.encode())} characters, and at most {MAX_SLUG_BYTES} "
            "fit in a file name"
        )
    return None
