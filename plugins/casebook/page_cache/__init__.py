"""Draw again only the pages whose content changed, when Pelican's content cache is on.

Every page Casebook caches is drawn from two kinds of input: site-wide ones
(settings, theme, this plugin, the roster, the guide pages, library versions)
and its own, listed per template in PAGE_INPUTS (its entries, with their
comments). A page whose inputs match those of a page already in the staging
folder (which holds the build before last, see staging.py) is left there; one
that matches the last build's is linked from the output folder; any other
page, and any template not listed, is drawn. Pelican's feeds are kept the
same way, their inputs being their entries. Every page is in the staging
folder either way, so each build's output is whole. Each folder's
fingerprints live in it (MANIFEST), so they always describe the pages beside
them, whatever build failed in between.

Follows Pelican's own switches: CACHE_CONTENT records fingerprints,
LOAD_CONTENT_CACHE reuses pages. The templates named in PAGE_INPUTS must show
nothing else: tests/test_page_cache.py rebuilds after many kinds of change
and compares the output with a build from scratch.

The parts, each readable alone: inputs.py (what each template's pages show),
fingerprints.py (digests of inputs, the site's and the code's), manifest.py
(PageCache: the pages' fingerprints, this build's and the reusable
folders'), clearing.py (the staging folder cleared while pages are drawn),
writer.py (Pelican's Writer, keeping, linking or drawing each page). Here:
the signal receivers that connect them to a build.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ..seams import forget_read_content, markdown_options
from .fingerprints import code_fingerprint, fingerprint
from .manifest import PageCache
from .writer import PageCachingWriter, hand_to_writer, writer_for

logger = logging.getLogger(__name__)


def forget_stale_reader_cache(pelican) -> None:
    """Connected to `get_generators`: Pelican's cache of what our reader made is only as good as
    the reader.

    Pelican checks each file's date, not the code that read it: after a change
    to this plugin, the Markdown settings or a library, entries are read again.
    """
    settings = pelican.settings
    if not settings["LOAD_CONTENT_CACHE"]:
        return
    cache = Path(settings["CACHE_PATH"])
    stamp = cache / "casebook-reader.txt"
    reader = fingerprint(
        code_fingerprint(), json.dumps(markdown_options(settings), sort_keys=True, default=repr)
    )
    if stamp.is_file() and stamp.read_text() == reader:
        return
    forget_read_content(settings)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(reader)


def prepare_page_cache(generators) -> None:
    """Connected to `all_generators_finalized`: everything is read, nothing written yet."""
    generator = generators[0]
    if not generator.settings["CACHE_CONTENT"]:
        return
    content_pages = {
        content.save_as for content in generator.context["generated_content"].values() if content
    }
    hand_to_writer(
        generator.output_path,
        PageCache(generator.settings, Path(generator.output_path), content_pages),
    )


def page_caching_writer(pelican):
    """Connected to `get_writer`: with Pelican's content cache on, use ours for pages."""
    return PageCachingWriter if pelican.settings["CACHE_CONTENT"] else None


def save_fingerprints(pelican) -> None:
    """Connected to `finalized`: the fingerprints go into the staged output they describe."""
    writer = writer_for(pelican.output_path)
    if writer:
        writer.finish()
        cache = writer.cache
        logger.info(
            "Page cache: kept %d unchanged pages from the last builds (%d already in place), drew "
            "%d.",
            cache.kept,
            cache.in_place,
            len(cache.new) - cache.kept,
        )
