"""Every place Casebook reaches into Pelican beyond its signals and settings: one module.

Each seam below depends on a part of Pelican that is not public API. The
supported Pelican versions (pyproject.toml, requirements.txt) are those
tests/test_seams.py passes on, with a test per seam that names it and says
what changed; CI runs it on the oldest and the newest of the range.

1. The writer (WriterSeam; used by page_cache/writer.py). Pelican's Writer
   opens each file with `_open_w` and records it in `_written_files` and
   `_overridden_files` to warn of a file written twice. The page cache draws
   a page straight to disk (or leaves or links it) before Pelican writes it:
   Pelican's write then goes nowhere, and its bookkeeping is kept as its own.
2. The template stand-in (TemplateStandIn). Writer.write_file only calls
   `template.render(context)` and writes what it returns: the page cache
   answers that call, so that a page never sits whole in memory.
3. The Markdown reader (MarkdownReaderSeam; used by rendering/reader.py).
   Pelican makes a Markdown per file; ours keeps one (`_md`) for every file,
   since setting up the extensions costs more than converting an entry, and
   converts ahead in a second process, so it calls `_parse_metadata` itself
   (with `_source_path` set for its messages). That method deregisters the
   `meta` step to convert the Summary: it is registered again before each
   use, at the priority Markdown's meta extension gives it.
4. The Markdown options (markdown_options). Pelican's reader completes
   `MARKDOWN` in place (the extensions of `extension_configs`, and `meta`):
   `MARKDOWN["extensions"]` may not exist before a reader was made. The
   options are completed here, the same way, without changing the settings.
5. A content's text as read (raw_content): `Content._content`, before
   Pelican replaces its `{filename}` links; the page cache looks there for
   links to other pages.
6. Pelican's cache of what was read (forget_read_content). Pelican checks a
   file's date, not the code that read it; after a change to our reader, or
   an entry changed during a build, the cache is deleted. Pelican names it
   after the generator class, with "-Readers" when CONTENT_CACHING_LAYER is
   "reader" (the default) and without when it is "generator": both go.
7. The output folder of a run (build_into). Pelican makes its generators and
   writer with `pelican.output_path` after sending `get_generators`:
   pointing it at the staging folder there makes the run write there
   (staging.py), and `finalized` still sees the folder.
8. The listings (replace_listings; used by rendering/membership.py). After
   `article_generator_finalized`, ArticlesGenerator's `tags` (a dict) and
   `categories` and `authors` (lists of pairs) each map a name to its
   entries, in which Pelican looks each entry up with `in`: they are
   replaced by listings that answer `in` from a set.
9. The order of receivers on `finalized`: the page cache saves its
   fingerprints, Pagefind indexes the pages, then the staging folder is
   swapped in (__init__.py). Pelican sends `finalized` after every writer is
   done, and blinker calls receivers in the order they were connected.
10. The readers of a generator (markdown_reader, read_before):
   `generator.readers.readers`, Pelican's readers by file extension, to reach
   our reader's failures and its second process; and what Pelican's cache
   (`generator.readers`, a FileStampDataCacher) still holds of a file, keyed
   by its absolute path, so that the second process converts only the rest.
11. Pelican's content cache (`pelican.cache.FileDataCacher`) writes its
   pickle in place and lets some unpickling errors through. A build stopped
   while saving, or content that cannot be pickled, left a cache that made
   every later build fail with EOFError. Here a cache that cannot be read is
   discarded with a warning, and a cache is written to a temporary file and
   renamed into place, so it is never half-written.
12. Pelican's log handler (`pelican.log.DEFAULT_LOG_HANDLER`, rich) draws
   each line as a table as wide as the terminal (80 columns without one),
   which breaks a file's path across lines. Casebook's own messages are
   printed whole, one a line, by a handler of ours, and Pelican's handler
   skips them.
13. Pelican's logging shows a message only the first time a process logs it
   (`pelican.log.LimitFilter`). The live preview builds again and again in
   one process: a warning showed on its first build only. Before each of
   those builds, what was logged is forgotten.
14. An entry's address (keep_addresses). Pelican works out `url` and
   `save_as` anew on every use, from a copy of the entry's metadata and
   its date formatted by its own strftime: a build asks for them some 25
   times per entry (templates, feeds, the page cache), a sixth of its CPU.
   Once Pelican has read everything, each address is kept in the
   `override_url` and `override_save_as` that Pelican's Url and Save_as
   fields fill, which `get_url_setting` answers first.

Two more are not code here but facts our code relies on, checked by
tests/test_seams.py: a file Pelican could not read is recorded as None in
its `generated_content` (build.py), and our reader decodes a file as
`pelican_open` does (content/headers.py's source_text).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from pelican.cache import FileDataCacher
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.log import DEFAULT_LOG_HANDLER, LimitFilter
from pelican.readers import MarkdownReader
from pelican.writers import Writer

logger = logging.getLogger(__name__)


def make_cache_safe(pelican=None) -> None:
    """Connected to `initialized`: Pelican's cache, read and written safely (see the module's
    docstring)."""
    if getattr(FileDataCacher.save_cache, "casebook", False):
        return  # already in place (the plugin can be loaded more than once in one process)
    read_or_fail = FileDataCacher.__init__

    def read_or_discard(self, settings, cache_name, caching_policy, load_policy):
        try:
            read_or_fail(self, settings, cache_name, caching_policy, load_policy)
        # Any unreadable cache: EOFError, ValueError, AttributeError, ...
        except Exception as error:
            logger.warning(
                "Pelican's cache %s could not be read (%s: %s), so it was discarded: this build "
                "reads every file again.",
                self._cache_path,
                type(error).__name__,
                error,
            )
            with contextlib.suppress(OSError):
                os.unlink(self._cache_path)
            self._cache = {}

    FileDataCacher.__init__ = read_or_discard
    FileDataCacher.save_cache = _atomic_save


def _atomic_save(self) -> None:
    """Pelican's save_cache, but the cache goes to a temporary file renamed into place."""
    if not self._cache_data_policy:
        return
    folder = os.path.dirname(self._cache_path) or "."
    os.makedirs(folder, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{os.path.basename(self._cache_path)}.", dir=folder)
    os.close(handle)
    try:
        with self._cache_open(partial, "wb") as file:
            pickle.dump(self._cache, file)
        os.replace(partial, self._cache_path)
    except Exception as error:  # the last good cache stays; the next build reads what changed again
        logger.warning(
            "Pelican's cache %s could not be saved (%s: %s); the last one is kept.",
            self._cache_path,
            type(error).__name__,
            error,
        )
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)


_atomic_save.casebook = True


class WholeLines(logging.Handler):
    """Casebook's messages as `WARNING  content/entries/x.md:3: what to do`, never wrapped."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"{record.levelname:<8} {self.format(record)}", file=sys.stdout, flush=True)


CASEBOOK = __name__.rpartition(".")[0]  # the plugin's package: its modules' loggers are below it


def not_casebook(record: logging.LogRecord) -> bool:
    return not record.name.startswith(CASEBOOK)


def print_whole_lines(pelican=None) -> None:
    """Connected to `initialized`: Casebook's messages printed whole (see the module's
    docstring)."""
    casebook = logging.getLogger(CASEBOOK)
    if not any(isinstance(handler, WholeLines) for handler in casebook.handlers):
        casebook.addHandler(WholeLines())
        DEFAULT_LOG_HANDLER.addFilter(not_casebook)


def forget_logged_messages() -> None:
    """The next build's messages all show, even those an earlier build in this process logged."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


# 1. The writer.


class WriterSeam(Writer):
    """Pelican's Writer, its private bookkeeping behind names of ours (seam 1).

    A subclass says which files are already on disk (already_on_disk): Pelican
    records them as written, as it would, and what it writes to them goes
    nowhere. Before Pelican writes into any other file, before_writing is
    called with its path.
    """

    def was_written(self, path: str) -> bool:
        return path in self._written_files

    def record_written(self, path: str, override: bool = False) -> None:
        self._written_files.add(path)
        if override:  # as Writer._open_w does
            self._overridden_files.add(path)

    def already_on_disk(self, path: str) -> bool:
        return False

    def before_writing(self, path: str) -> None:
        """Pelican is about to open this file and write into it in place."""

    def _open_w(self, filename, encoding, override=False):
        if not self.already_on_disk(filename):
            self.before_writing(filename)
            return super()._open_w(filename, encoding, override)
        self.record_written(filename, override)
        return open(os.devnull, "w", encoding=encoding)


# 2. The template stand-in.


class TemplateStandIn:
    """What Writer.write_file takes for a template: it calls render(context) and writes the result
    (seam 2)."""

    def __init__(self, render: Callable[[dict], str]):
        self.render = render


# 3. The Markdown reader, and 4. its options.

META = "markdown.extensions.meta"
META_PRIORITY = 27  # where markdown.extensions.meta registers its step


class MarkdownReaderSeam(MarkdownReader):
    """Pelican's MarkdownReader with one Markdown for every file, and its metadata parsing as a
    method (seam 3)."""

    def use_markdown(self, markdown) -> None:
        self._md = markdown
        self._meta_step = markdown.preprocessors["meta"]

    def restore_meta_step(self) -> None:
        """Pelican's _parse_metadata deregisters the Meta step before converting the Summary."""
        self._md.preprocessors.register(self._meta_step, "meta", META_PRIORITY)

    def parse_metadata(self, meta: dict, source_path) -> dict:
        """Pelican's metadata from the header as Markdown's meta step read it."""
        self._source_path = source_path  # for Pelican's messages
        self.restore_meta_step()
        return self._parse_metadata(meta)


def markdown_options(settings: dict) -> dict:
    """The site's Markdown options, completed as Pelican's MarkdownReader completes them in place
    (seam 4), without changing the settings."""
    options = settings["MARKDOWN"]
    configs = options.get("extension_configs", {})
    extensions = list(options.get("extensions", []))
    extensions += [name for name in configs if name not in extensions]
    if META not in extensions:
        extensions.append(META)
    return {**options, "extension_configs": configs, "extensions": extensions}


# 5. A content's text as read.


def raw_content(content) -> str:
    """The content's HTML before Pelican replaced its `{filename}` links (seam 5)."""
    return content._content or ""


# 6. Pelican's cache of what was read.


def read_content_caches(settings: dict) -> list[Path]:
    """Where Pelican keeps what its generators read, at either caching layer (seam 6)."""
    cache = Path(settings["CACHE_PATH"])
    return [
        cache / name
        for generator in (ArticlesGenerator, PagesGenerator)
        for name in (f"{generator.__name__}-Readers", generator.__name__)
    ]


def forget_read_content(settings: dict) -> None:
    """Drop Pelican's cache of what was read: the next build reads every file again."""
    for cache in read_content_caches(settings):
        with contextlib.suppress(FileNotFoundError):
            cache.unlink()


# 7. The output folder of a run.


def build_into(pelican, folder: str) -> None:
    """From `get_generators`: this run's generators and writer write into `folder` (seam 7)."""
    pelican.output_path = folder


# 8. The listings.


def replace_listings(generator, listing: Callable[[list], object]) -> None:
    """From `article_generator_finalized`: each tag's, category's and author's entries replaced
    with listing(entries) (seam 8)."""
    for tag, entries in generator.tags.items():
        generator.tags[tag] = listing(entries)
    generator.categories = [
        (category, listing(entries)) for category, entries in generator.categories
    ]
    generator.authors = [(author, listing(entries)) for author, entries in generator.authors]


# 10. The reader of a generator.


def markdown_reader(generator):
    """The reader Pelican uses for this generator's .md files, if it reads any (seam 10)."""
    readers = getattr(generator, "readers", None)
    return readers.readers.get("md") if readers else None


def read_before(generator, path: str) -> bool:
    """Whether Pelican will take this file (an absolute path) from its cache instead of reading it
    (seam 10)."""
    return generator.readers.get_cached_data(path, None) is not None


# 14. An entry's address.


def keep_addresses(contents) -> None:
    """From `article_generator_finalized`, after Pelican saved its cache: each content's address,
    worked out once more and kept for the rest of the build (seam 14)."""
    for content in contents:
        content.override_url = content.url
        content.override_save_as = content.save_as
