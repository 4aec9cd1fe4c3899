"""Reuse the last build's search bundle: Pagefind then writes only what changed.

Pagefind names each fragment (an entry's text), word-index chunk and filter
file by a hash of its contents, and does not write such a file again if it
is already there. So before it runs, the last build's hashed files are
linked into the new bundle: after an edit to one entry it writes a handful
of files instead of thousands (creating thousands of files was most of its
time). Linking is safe: Pagefind never opens an existing hashed file, and
removing a link leaves the live site's file alone.

Afterwards, the files the new index does not name are removed, so the bundle
holds exactly what a build from scratch would give.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
from importlib.metadata import version
from pathlib import Path

logger = logging.getLogger(__name__)

HASHED = (
    "fragment",
    "index",
    "filter",
)  # folders of the bundle whose files are named by their contents
META_HEADER = b"pagefind_dcd"  # what Pagefind puts before the contents of its compressed files


def link_last_bundle(last: Path, bundle: Path) -> None:
    """Link the hashed files of the last build's bundle into this build's (which must not exist
    yet).

    Only a bundle this version of Pagefind made: another might pack the same
    contents differently. Where the disk cannot link files, Pagefind writes
    them all, as in a build from scratch.
    """
    if made_by(last) != version("pagefind-bin"):
        return
    try:
        for folder in HASHED:
            if (last / folder).is_dir():
                (bundle / folder).mkdir(parents=True)
                for entry in os.scandir(last / folder):
                    os.link(entry.path, bundle / folder / entry.name)
    except OSError as error:
        logger.info(
            "Pagefind writes every search file: the last build's could not be linked (%s).", error
        )


def made_by(bundle: Path) -> str | None:
    """The version of Pagefind that wrote a bundle."""
    try:
        return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remove_unreferenced(bundle: Path) -> None:
    """Remove the hashed files and language metadata that the bundle's entry file does not lead
    to."""
    try:
        languages = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))[
            "languages"
        ]
        metas = {f"pagefind.{language['hash']}.pf_meta" for language in languages.values()}
        named = set().union(
            *(cbor_strings(gzip.decompress((bundle / meta).read_bytes())) for meta in metas)
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        # Pagefind's format changed: keep every file rather than risk removing one the index needs.
        logger.warning(
            "The search bundle may hold files of earlier builds: its index could not be read (%s).",
            error,
        )
        return
    stale = [path for path in bundle.glob("pagefind.*.pf_meta") if path.name not in metas]
    stale += [
        path
        for folder in HASHED
        if (bundle / folder).is_dir()
        for path in (bundle / folder).iterdir()
        if path.name.split(".")[0] not in named
    ]
    for path in stale:
        path.unlink()


def cbor_strings(data: bytes) -> set[str]:
    """Every text string in Pagefind's metadata (CBOR): among them, the hash of each file it needs.

    CBOR puts an array's or a map's items right after its header, so one
    pass over the items, skipping what is not text, finds all the strings.
    """
    if not data.startswith(META_HEADER):
        raise ValueError("not Pagefind metadata")
    strings, at = set(), len(META_HEADER)
    while at < len(data):
        kind, argument = data[at] >> 5, data[at] & 31
        at += 1
        if argument > 27:
            raise ValueError(f"unexpected CBOR item at byte {at - 1}")
        if argument >= 24:  # the value follows in 1, 2, 4 or 8 bytes
            width = 1 << (argument - 24)
            argument, at = int.from_bytes(data[at : at + width], "big"), at + width
        if kind in (2, 3):  # bytes or text: `argument` is its length
            if kind == 3:
                strings.add(data[at : at + argument].decode("utf-8"))
            at += argument
    return strings
