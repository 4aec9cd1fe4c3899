"""Fingerprints: short digests of what pages are drawn from.

A part may be bytes or anything with a str(); folders are fingerprinted with
their files' names and bytes. The site's fingerprint covers what every page
may show (settings, theme, this plugin, the roster, the guide pages, library
versions): when it changes, every page is drawn again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from ..settings import CasebookSettings

CODE = Path(__file__).resolve().parents[1]  # the plugin's folder
# The libraries that turn content into pages (phonenumbers: into the preview's privacy banner).
LIBRARIES = ("pelican", "markdown", "pygments", "jinja2", "nh3", "phonenumbers")


def fingerprint(*parts) -> str:
    return fingerprint_of(parts)


def fingerprint_of(parts: Iterable) -> str:
    """The parts' digest, taken one part at a time: a long page's inputs need not all be in memory
    at once."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def folder_fingerprint(folder: Path) -> str:
    files = sorted(
        path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    )
    return fingerprint(
        *(part for path in files for part in (path.relative_to(folder), path.read_bytes()))
    )


def code_fingerprint() -> str:
    """This plugin and the libraries that turn content into pages."""
    return fingerprint(folder_fingerprint(CODE), *(version(library) for library in LIBRARIES))


def site_fingerprint(settings: dict) -> str:
    """Everything every page may show: a change here draws every page again."""
    content = Path(settings["PATH"])
    guide_pages = [content / folder for folder in settings["PAGE_PATHS"]]
    return fingerprint(
        json.dumps(settings, sort_keys=True, default=repr),
        code_fingerprint(),
        folder_fingerprint(Path(settings["THEME"])),  # templates, and files they link
        *(folder_fingerprint(folder) for folder in guide_pages if folder.is_dir()),
        *(
            path.read_bytes()
            for path in [CasebookSettings.from_pelican(settings).people_file]
            if path.is_file()
        ),
    )
