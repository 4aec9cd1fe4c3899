"""The search index: Pagefind, run once over the built entry pages.

Pagefind's binary ships inside the pagefind_bin wheel, so nothing is
downloaded at build time. Only entry pages are search results (the theme
marks them with data-pagefind-body), so Pagefind reads only those: the
listings, the archive and the lessons index are large pages it would parse
for nothing. It starts as soon as the last entry page is written and runs on
another core while Pelican draws the listings; the build waits for it before
the staged output is swapped in. With the content cache on, it starts from
the last build's bundle (search_bundle.py).

In the preview (CASEBOOK_SEARCH_LATER), pages come first: the build swaps in
its pages with the served search bundle as it was, then Pagefind indexes the
served site in the background into a folder beside it, whose bundle is
swapped in whole when ready (search_swapped tells the preview); the bundle it
replaces is kept beside the site until the next swap. The next build stops an
indexing run that is still going: it would index pages that are about to
change. A published build never sets it: nothing is published
before its search index is whole.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import blinker
from pagefind_bin import get_executable

from ..children import ending_with
from ..page_cache.manifest import reuses_last_build
from ..problems import UserError
from ..settings import CasebookSettings
from ..staging import exchanged
from .search_bundle import link_last_bundle, remove_unreferenced

logger = logging.getLogger(__name__)

INDEXER = "casebook_search_indexer"  # context key: from the entries' list to the pages written
# Sent with the served folder once a bundle indexed in the background is in place: a page of the
# preview that loaded the bundle before holds names of files that are gone (tools/preview.py).
search_swapped = blinker.signal("casebook_search_swapped")
# Sent with the served folder as Pagefind starts over it in the background (tools/search_edits.py).
search_indexing = blinker.signal("casebook_search_indexing")


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
        bundle: Path | None = None,
    ):
        self.site = site
        self.bundle = bundle or site / "pagefind"  # where Pagefind writes
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
            "--output-path",
            str(self.bundle),
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
            link_last_bundle(self.last_bundle, self.bundle)
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
        failure = self.wait()
        if failure is not None:
            raise SearchIndexError(
                "The search index could not be built, so nothing was published; the last good "
                f"build is kept.\nPagefind said:\n{failure}"
            )

    def wait(self) -> str | None:
        """Wait for Pagefind to end: None if it made a whole bundle, else what it said."""
        stdout, stderr = self.process.communicate()
        if self.process.returncode != 0 or not (self.bundle / "pagefind.js").is_file():
            return (stderr or stdout).strip() or f"(exit status {self.process.returncode})"
        remove_unreferenced(self.bundle)
        return None


class IndexInBackground:
    """Pagefind over the served site, into a folder beside it; the bundle swapped in whole."""

    # A cancelled run must not swap its bundle in after all. Reentrant: a thread holding it (a
    # test) may build, and the build's start cancels the run before.
    swapping = threading.RLock()

    def __init__(self, indexer: SearchIndexer, served_bundle: Path):
        self.indexer, self.served_bundle = indexer, served_bundle
        self.cancelled = False
        search_indexing.send(str(served_bundle.parent))
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()  # the build ends now: even linking the last bundle is done after

    def run(self) -> None:
        with self.swapping:  # so that cancel() finds Pagefind started, or no run at all
            if self.cancelled:
                return
            shutil.rmtree(self.indexer.bundle, ignore_errors=True)  # a cancelled run's
            self.indexer.start()
        failure = self.indexer.wait()
        with self.swapping:
            # Ctrl+C reaches Pagefind too (the terminal signals the whole group): the preview stops.
            if self.cancelled or self.indexer.process.returncode == -signal.SIGINT:
                return
            if failure is not None:
                logger.error(
                    "The search index was not brought up to date: search shows the last pages "
                    "it indexed. Save again to retry; if this stays, `invoke build` shows the "
                    "problem.\nPagefind said:\n%s",
                    failure,
                )
                return
            if self.served_bundle.is_dir() and exchanged(self.indexer.bundle, self.served_bundle):
                previous = previous_bundle(self.served_bundle.parent)
                shutil.rmtree(previous, ignore_errors=True)
                self.indexer.bundle.rename(previous)  # now the bundle it replaced
            else:
                shutil.rmtree(self.served_bundle, ignore_errors=True)
                self.indexer.bundle.rename(self.served_bundle)
        search_swapped.send(str(self.served_bundle.parent))

    def cancel(self) -> None:
        if not self.thread.is_alive():
            return  # its bundle is in place: nothing to stop
        with self.swapping:
            self.cancelled = True
        self.indexer.stop()
        self.thread.join()


def previous_bundle(output: Path) -> Path:
    """The bundle the last swap in the preview replaced, kept beside the site until the next: a
    page that loaded it may still ask for its files (tools/preview.py serves them)."""
    return output.with_name(f".{output.name}.search-previous")


_indexers: dict[str, SearchIndexer] = {}  # by staging folder, until the build's end
_later: dict[str, SearchIndexer] = {}  # the preview's: by staging folder, until the swap
_in_background: dict[str, IndexInBackground] = {}  # by output folder


@atexit.register
def _stop_unfinished() -> None:
    """A build that failed after Pagefind started must not leave it writing into the staging
    folder."""
    for indexer in _indexers.values():
        indexer.stop()
    for run in _in_background.values():
        run.cancel()


def stop_indexing_in_background(pelican) -> None:
    """Connected to `get_generators`: a new build makes the running index out of date."""
    run = _in_background.pop(pelican.settings["OUTPUT_PATH"], None)
    if run:
        run.cancel()


def prepare_index(generator) -> None:
    """Connected to `article_generator_finalized`: how many entry pages Pagefind waits for."""
    site, settings = generator.output_path, generator.settings
    casebook = CasebookSettings.from_pelican(settings)
    served = Path(settings["OUTPUT_PATH"])
    entries = len(generator.articles) + len(generator.translations)
    unfinished = _indexers.pop(site, None)  # from a failed build in the same process (--autoreload)
    if unfinished:
        unfinished.stop()
    if casebook.search_later:  # Pagefind reads the served site once this build is swapped in
        _later[site] = SearchIndexer(
            served,
            entries,
            settings["ARTICLE_SAVE_AS"],
            casebook.pagefind_arguments,
            last_bundle=served / "pagefind",
            bundle=served.with_name(f".{served.name}.search"),
        )
        return
    last_bundle = served / "pagefind" if reuses_last_build(settings) else None
    indexer = SearchIndexer(
        Path(site), entries, settings["ARTICLE_SAVE_AS"], casebook.pagefind_arguments, last_bundle
    )
    _indexers[site] = generator.context[INDEXER] = indexer


def page_written(path, context) -> None:
    """Connected to `content_written`: a published entry's page is one Pagefind waits for."""
    indexer, entry = context.get(INDEXER), context.get("article")
    if indexer and entry is not None and entry.status == "published":
        indexer.entry_page_written()


def index_site(pelican) -> None:
    """Connected to `finalized`, before the staged output is swapped in."""
    if pelican.output_path in _later:  # the served bundle goes with the new pages, for now
        served = Path(pelican.settings["OUTPUT_PATH"]) / "pagefind"
        staged = Path(pelican.output_path) / "pagefind"
        shutil.rmtree(staged, ignore_errors=True)  # the page cache clears it; a bundle is whole
        if served.is_dir():
            shutil.copytree(served, staged, copy_function=link)
        return
    _indexers.pop(pelican.output_path).finish()


def link(source: str, target: str) -> None:
    """The same file under a second name (no copy), or a copy where the disk cannot link."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def index_in_background(pelican) -> None:
    """Connected to `finalized`, after the staged output is swapped in (the preview only)."""
    indexer = _later.pop(pelican.output_path, None)
    if indexer:
        _in_background[pelican.settings["OUTPUT_PATH"]] = IndexInBackground(
            indexer, indexer.site / "pagefind"
        )
