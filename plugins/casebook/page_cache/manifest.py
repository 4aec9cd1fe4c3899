"""The pages' fingerprints (PageCache): this build's, and those of the folders it may reuse from.

Each folder's fingerprints live in it (MANIFEST), so they always describe the
pages beside them, whatever build failed in between. A page's fingerprint
covers the site's (fingerprints.py) and its own inputs (inputs.py); an entry
counts as its file (and comments), and as the site's addresses if it links
to them.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
from itertools import chain
from pathlib import Path

from ..seams import raw_content
from .clearing import clear_all_but
from .fingerprints import fingerprint, fingerprint_of, site_fingerprint
from .inputs import CONTENT_TEMPLATES, PAGE_INPUTS

logger = logging.getLogger(__name__)

MANIFEST = ".casebook-pages.json"
SITE_LINK = re.compile(r"[{|](filename|static|attach|tag|category|author|index)[|}]")


def reuses_last_build(settings: dict) -> bool:
    """Whether this build may take what the last builds made (pages, feeds, search files) instead
    of making it."""
    return settings["CACHE_CONTENT"] and settings["LOAD_CONTENT_CACHE"]


class PageCache:
    """The pages' fingerprints: this build's, and those of the two folders it may reuse pages from.

    The output folder holds the last build; the staging folder, where this
    build is written, holds the build before it (see staging.py). On
    creation, the staging folder is cleared of everything but the pages that
    may still be right: it keeps no manifest, so a build that fails half-way
    leaves nothing there that the next build would trust.
    """

    def __init__(self, settings: dict, staging: Path, content_pages: set[str]):
        self.staging = staging
        self.output = Path(settings["OUTPUT_PATH"])
        self.site = site_fingerprint(settings)
        reuse = reuses_last_build(settings)
        self.in_output = self.read_manifest(self.output) if reuse else {}
        staged = self.read_manifest(staging) if reuse else {}
        # A removed entry's page must go before Pagefind reads the entry pages.
        self.in_staging = {
            name: key
            for name, (template, key) in staged.items()
            if template not in CONTENT_TEMPLATES or name in content_pages
        }
        self.clearing = clear_all_but(staging, self.in_staging)
        self.new: dict[str, list[str]] = {}
        self.kept = self.in_place = 0
        self.content: dict[str, str] = {}  # source path -> fingerprint
        self.links: str | None = None

    def read_manifest(self, folder: Path) -> dict[str, list[str]]:
        """The fingerprints of the pages in a folder; none if they are of another site or not as we
        write them."""
        if not (folder / MANIFEST).is_file():
            return {}
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            pages = manifest["pages"] if manifest["site"] == self.site else {}
            if all(
                inside(name) and [type(part) for part in page] == [str, str]
                for name, page in pages.items()
            ):
                return pages
        except (OSError, ValueError, LookupError, TypeError, AttributeError):
            pass
        logger.info(
            "Page cache: %s does not describe this site's pages; they are drawn again.",
            folder / MANIFEST,
        )
        return {}

    def save(self) -> None:
        manifest = {"site": self.site, "pages": self.new}
        (self.staging / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")

    def key(self, template, context: dict) -> str | None:
        """The page's fingerprint, recorded for the next build; None for a template we do not
        cache."""
        inputs = PAGE_INPUTS.get(template.name)
        if inputs is None:
            return None
        return self.record(context["output_file"], template.name, context, inputs(context))

    def record(self, name: str, kind: str, context: dict, inputs) -> str:
        key = fingerprint_of(
            chain(
                (self.site, kind, name, context.get("SITEURL")),
                (self.input_fingerprint(value, context) for value in inputs),
            )
        )
        self.new[name] = [kind, key]
        return key

    def staged(self, name: str, key: str | None) -> bool:
        """Whether the staging folder already holds this page, drawn from the same inputs."""
        if key is None or self.in_staging.get(name) != key:
            return False
        self.kept += 1
        self.in_place += 1
        return True

    def previous_page(self, name: str, key: str | None) -> Path | None:
        """The last build's page, if it was drawn from the same inputs."""
        page = self.output / name
        if key is None or self.in_output.get(name, [None, None])[1] != key or not page.is_file():
            return None
        self.kept += 1
        return page

    def input_fingerprint(self, value, context: dict) -> str:
        source = getattr(value, "source_path", None)
        if source is None:
            return str(value)
        if source not in self.content:
            self.content[source] = self.content_fingerprint(value, context)
        return self.content[source]

    def content_fingerprint(self, content, context: dict) -> str:
        """An entry (its file and its comments) or a page, and the site's addresses if it links to
        them."""
        own = getattr(content, "source_fingerprint", None) or fingerprint(
            Path(content.source_path).read_bytes()
        )
        linking = SITE_LINK.search(raw_content(content)) or SITE_LINK.search(
            content.metadata.get("summary", "")
        )
        return fingerprint(own, self.site_links(context) if linking else "")

    def site_links(self, context: dict) -> str:
        if self.links is None:
            targets = {**context.get("generated_content", {}), **context.get("static_content", {})}
            self.links = fingerprint(
                *(f"{path}={target.url}" for path, target in sorted(targets.items()))
            )
        return self.links


def inside(name: str) -> bool:
    """A page's name in a manifest: a path within the site's folder."""
    return bool(name) and not posixpath.isabs(name) and ".." not in name.split("/")
