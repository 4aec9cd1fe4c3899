"""The search index: Pagefind, run once over the built entry pages.

Pagefind's binary ships inside the pagefind_bin wheel, so nothing is
downloaded at build time. Only entry pages are search results (the theme
marks them with data-pagefind-body), so Pagefind reads only those: the
listings, the archive and the lessons index are large pages it would parse
for nothing. It starts as soon as the last entry page is written and runs on
another core while Pelican draws the listings; the build waits for it before
the staged output is swapped in. With the content cache on, it starts from
the last build's bundle (search_bundle.py).
"""

from __future__ import annotations

import atexit
import os
import re
import subprocess
from pathlib import Path

from pagefind_bin import get_executable

from ..children import ending_with
from ..page_cache.manifest import reuses_last_build
from ..problems import UserError
from ..settings import CasebookSettings
from .search_bundle import link_last_bundle, remove_unreferenced

INDEXER = "casebook_search_indexer"  # context key: from the entries' list to the pages written


class SearchIndexError(UserError):
    """Pagefind failed: the build stops and the previous site is kept."""


class SearchIndexer:
    def __init__(
        self,
        site: Path,
        entry_pages: int,
        entry_save_as: str,
        arguments: tuple[str, ...],
        last_bundle: Path | None,
    ):
        self.site = site
        self.waiting = entry_pages
        self.last_bundle = last_bundle
        # ARTICLE_SAVE_AS with each {field} as a wildcard: where the entry pages are.
        glob = re.sub(r"\{[^}]*\}", "*", entry_save_as)
        self.command = [
            str(get_executable()),
            "--site",
            str(site),
            "--glob",
            glob,
            "--output-subdir",
            "pagefind",
            "--quiet",
            *arguments,
        ]
        self.process: subprocess.Popen | None = None

    def entry_page_written(self) -> None:
        self.waiting -= 1
        if self.waiting == 0:
            self.start()

    def start(self) -> None:
        if self.last_bundle:  # link_last_bundle skips a missing bundle or one another Pagefind made
            link_last_bundle(self.last_bundle, self.site / "pagefind")
        self.process = subprocess.Popen(
            self.command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=ending_with(os.getpid()),
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def finish(self) -> None:
        if self.process is None:  # no entries, or some entry page was never written
            self.start()
        stdout, stderr = self.process.communicate()
        if self.process.returncode != 0 or not (self.site / "pagefind" / "pagefind.js").is_file():
            raise SearchIndexError(
                "The search index could not be built, so nothing was published; the last good "
                "build is kept.\n"
                f"Pagefind said:\n{(stderr or stdout).strip()}"
            )
        remove_unreferenced(self.site / "pagefind")


_indexers: dict[str, SearchIndexer] = {}  # by staging folder, until the build's end


@atexit.register
def _stop_unfinished() -> None:
    """A build that failed after Pagefind started must not leave it writing into the staging
    folder."""
    for indexer in _indexers.values():
        indexer.stop()


def prepare_index(generator) -> None:
    """Connected to `article_generator_finalized`: how many entry pages Pagefind waits for."""
    site, settings = generator.output_path, generator.settings
    arguments = CasebookSettings.from_pelican(settings).pagefind_arguments
    entries = len(generator.articles) + len(generator.translations)
    last_bundle = (
        Path(settings["OUTPUT_PATH"]) / "pagefind" if reuses_last_build(settings) else None
    )
    indexer = SearchIndexer(
        Path(site), entries, settings["ARTICLE_SAVE_AS"], arguments, last_bundle
    )
    unfinished = _indexers.pop(site, None)  # from a failed build in the same process (--autoreload)
    if unfinished:
        unfinished.stop()
    _indexers[site] = generator.context[INDEXER] = indexer


def page_written(path, context) -> None:
    """Connected to `content_written`: a published entry's page is one Pagefind waits for."""
    indexer, entry = context.get(INDEXER), context.get("article")
    if indexer and entry is not None and entry.status == "published":
        indexer.entry_page_written()


def index_site(pelican) -> None:
    """Connected to `finalized`, before the staged output is swapped in."""
    _indexers.pop(pelican.output_path).finish()
