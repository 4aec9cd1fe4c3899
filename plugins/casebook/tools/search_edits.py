"""Search that keeps up with the pages drawn first: in `invoke livereload`, an entry just saved is
found by the Archive's search a moment after its page is served (tools/edited_first.py), not only
once Pagefind has indexed the whole site again behind the build (indexes/search.py).

Pagefind cannot change one page of an index. So the pages saved since the served index was made
are indexed on their own, into a small bundle that the Archive merges over the served index with
Pagefind's mergeIndex, leaving out the served index's older copies of those pages. What the Archive
needs for that is in EDITS, served beside the bundle (theme/static/js/search.js reads it):
- bundle: the small bundle's address;
- replaced: the served index's pages that it replaces, by Pagefind's page id, with their filters
  (the Archive takes them out of the results and of the counts): the entries' pages, at their
  addresses now and, for an entry that moved (a new date) or became a draft, at the old one;
- dated: where each page of the small bundle stands among the served index's pages by date (each
  index numbers its own pages in that order, and a search sorted by date merges those numbers).
What a merge cannot give exactly is Pagefind's own judgement of words, made in each index apart:
how rare a word is (so the edited entries may rank above or below where one index places them), and
its near matches for a word it does not have (a word the edit removed, which the served index still
has, finds no near match in the other entries). Both are exact again once the whole index catches
up, seconds later, and the small bundle goes.

Only the preview serves EDITS: a published build's index is always whole.
"""

from __future__ import annotations

import bisect
import gzip
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import zlib
from collections.abc import Callable
from pathlib import Path

from ..indexes.search import SearchIndexer, search_indexing, search_swapped
from ..indexes.search_bundle import META_HEADER

logger = logging.getLogger(__name__)

SERVED_AT = "/.casebook-preview/search-edits/"  # the folder: EDITS, and each bundle by number
EDITS = "edits.json"
SEARCHABLE = b" data-pagefind-body"  # a draft's page has none: it is no search result
SORTED_BY_DATE = re.compile(rb'data-pagefind-sort="date:([^"]*)"')
ADDRESS_FIRST = re.compile(rb'\{"url":("(?:[^"\\]|\\.)*")')
SORT_DATE = "%Y-%m-%dT%H:%M"  # theme/templates/article.html writes it (a test holds them equal)


class SearchEdits:
    """The pages of one preview saved since its search index was made, and their small bundle."""

    def __init__(self, output: Path, changed: Callable[[], None]):
        self.output = Path(os.path.abspath(output))
        self.changed = changed  # called (from any thread) once EDITS says something new
        self.folder = edits_folder(self.output)  # a preview that was killed left its own there
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        # Pages by path in the output folder; for a page the build before had and the next will
        # not (an entry now elsewhere), a marker of its own for each save.
        self.pending: dict[str, bytes | object] = {}
        self.covered: dict[str, bytes | object] = {}  # those the indexing run under way reads
        self.before_draw: dict | None = None  # for a build that fails
        self.generator = None  # the entries generator of the last good build
        self.state = b"{}"  # EDITS
        (self.folder / EDITS).write_bytes(self.state)
        self.made = 0  # bundles made
        self.served_pages: tuple[bytes, dict] = (b"", {})  # the served index, and its pages
        self.guard = threading.Lock()  # around pending and covered
        self.indexing = threading.Lock()  # one small bundle at a time
        search_indexing.connect(self.indexing_started)
        search_swapped.connect(self.index_swapped)

    def close(self) -> None:
        search_indexing.disconnect(self.indexing_started)
        search_swapped.disconnect(self.index_swapped)
        shutil.rmtree(self.folder, ignore_errors=True)

    def drew(self, pages: dict[str, bytes], left: list[str], generator) -> None:
        """Pages drawn first, before their build starts, and the pages their entries left
        (tools/edited_first.py); index() follows."""
        gone = object()
        with self.guard:
            self.before_draw, self.generator = dict(self.pending), generator
            self.pending = self.pending | dict.fromkeys(left, gone) | pages

    def build_ended(self, problems: str) -> bool:
        """A build of the preview ended; True if its pages drawn first were dropped (it failed):
        index() again."""
        with self.guard:
            dropped = bool(problems) and self.before_draw is not None
            if dropped:
                self.pending = self.before_draw
            self.before_draw = None
        return dropped

    def indexing_started(self, output: str) -> None:
        """Pagefind starts over the served site: it reads every page drawn first until now."""
        if os.path.abspath(output) == str(self.output):
            with self.guard:
                self.covered = dict(self.pending)

    def index_swapped(self, output: str) -> None:
        """The whole index is in place: only pages saved since it started need the small bundle."""
        if os.path.abspath(output) != str(self.output):
            return
        with self.guard:
            self.pending = {
                path: page
                for path, page in self.pending.items()
                if self.covered.get(path) is not page
            }
            self.covered = {}
        self.index()
        self.served_index()  # read now, while the preview is idle, rather than at the next save

    def index(self) -> None:
        """Make the small bundle of the pages pending, say so in EDITS, and tell the preview (the
        served index may have changed too)."""
        with self.indexing:
            with self.guard:
                pages, generator = dict(self.pending), self.generator
            try:
                state = self.edits(pages, generator) if pages else {}
            except Exception:  # a convenience: search waits for the whole index, as without it
                logger.warning("The entries saved are searchable once the whole index is made.")
                logger.debug("Search edits failed", exc_info=True)
                state = {}
            self.state = json.dumps(state).encode()
            (self.folder / "next.json").write_bytes(self.state)
            (self.folder / "next.json").replace(self.folder / EDITS)
            # An Archive that loaded an older bundle reloads (EDITS changed); the one before stays
            # for an Archive loading it at this very moment.
            for old in self.folder.iterdir():
                if old.is_dir() and old.name not in (str(self.made), str(self.made - 1)):
                    shutil.rmtree(old, ignore_errors=True)
        self.changed()

    def edits(self, pages: dict, generator) -> dict:
        """What EDITS says of these pages."""
        served = self.served_index()
        replaced = {
            page_id(served[url]): fragment(served[url])["filters"]
            for url in map(page_url, pages)
            if url in served
        }
        searchable = {
            path: page
            for path, page in pages.items()
            if isinstance(page, bytes) and SEARCHABLE in page
        }
        if not searchable:  # drafts now: the served index's copies are left out, and that is all
            return {"replaced": replaced}
        self.made += 1
        bundle = self.folder / str(self.made)
        failure = index_pages(searchable, bundle, generator)
        if failure is not None:  # the served index's copies are left out all the same
            logger.warning(
                "The entries saved are searchable once the whole index is made:\n%s", failure
            )
            return {"replaced": replaced}
        dates = sorted(entry.date.strftime(SORT_DATE) for entry in generator.articles)
        places = {
            page_url(path): bisect.bisect_left(dates, sort_date(page)) - 0.5
            for path, page in searchable.items()
        }
        return {
            "bundle": f"{SERVED_AT}{self.made}/",
            "replaced": replaced,
            "dated": {
                page_id(path): places[url]
                for url, path in bundle_pages(bundle).items()
                if url in places
            },
        }

    def served_index(self) -> dict[str, Path]:
        """The served index's pages by their address, read once per index."""
        served = self.output / "pagefind"
        try:
            entry = (served / "pagefind-entry.json").read_bytes()
        except OSError:
            return {}
        if entry != self.served_pages[0]:
            self.served_pages = (entry, bundle_pages(served))
        return self.served_pages[1]


def edits_folder(output: Path) -> Path:
    """Where the preview keeps EDITS and the small bundles: beside the output folder, as the whole
    index's run (indexes/search.py)."""
    return output.with_name(f".{output.name}.search-edits")


def index_pages(pages: dict[str, bytes], bundle: Path, generator) -> str | None:
    """Pagefind over these pages alone, as the build runs it: None, or what it said."""
    settings, casebook = generator.settings, generator.context["casebook"]
    with tempfile.TemporaryDirectory(prefix="casebook-edited-") as site:
        for path, page in pages.items():
            (Path(site) / path).parent.mkdir(parents=True, exist_ok=True)
            (Path(site) / path).write_bytes(page)
        indexer = SearchIndexer(
            Path(site),
            len(pages),
            settings["ARTICLE_SAVE_AS"],
            casebook.pagefind_arguments,
            last_bundle=None,
            bundle=bundle,
        )
        indexer.start()
        return indexer.wait()


def bundle_pages(bundle: Path) -> dict[str, Path]:
    """The fragment of each page of a bundle (its text, address, filters...), by its address."""
    pages = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        try:  # Pagefind writes the address first: only the beginning is decompressed, if so
            head = zlib.decompressobj(wbits=31).decompress(path.read_bytes(), 1024)
            address = ADDRESS_FIRST.match(head.removeprefix(META_HEADER))
            pages[json.loads(address[1]) if address else fragment(path)["url"]] = path
        except (OSError, ValueError, zlib.error):  # swapped out while read: read again next time
            continue
    return pages


def fragment(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()).removeprefix(META_HEADER))


def page_id(path: Path) -> str:
    """A page's id in Pagefind's search results: the name of its fragment."""
    return path.name.partition(".")[0]


def page_url(path: str) -> str:
    """A page's address as Pagefind gives it, from its path in the output folder."""
    return "/" + path.removesuffix("index.html")


def sort_date(page: bytes) -> str:
    found = SORTED_BY_DATE.search(page)
    return found[1].decode() if found else ""
