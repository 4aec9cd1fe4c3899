"""Where Casebook changes Pelican's own behaviour, beyond its signals and settings.

Each seam depends on a part of Pelican that is not public API; the pinned
Pelican is checked by tests/test_seams.py, which fails with a clear message
if one of these parts changes. Besides the one below, the others live with
the code they serve: the page cache's Writer subclass (page_cache/writer.py), our
Markdown reader (rendering/reader.py, which reads files as pelican_open does:
content/headers.py's source_text), and the files Pelican failed to read,
recorded as None in its `generated_content` (build.py).

- Pelican's content cache (`pelican.cache.FileDataCacher`) writes its pickle
  in place and lets some unpickling errors through. A build stopped while
  saving, or content that cannot be pickled, left a cache that made every
  later build fail with EOFError. Here a cache that cannot be read is
  discarded with a warning, and a cache is written to a temporary file and
  renamed into place, so it is never half-written.
- Pelican's log handler (`pelican.log.DEFAULT_LOG_HANDLER`, rich) draws each
  line as a table as wide as the terminal (80 columns without one), which
  breaks a file's path across lines. Casebook's own messages are printed
  whole, one a line, by a handler of ours, and Pelican's handler skips them.
- Pelican's logging shows a message only the first time a process logs it
  (`pelican.log.LimitFilter`). The live preview builds again and again in one
  process: a warning showed on its first build only. Before each of those
  builds, what was logged is forgotten.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
import tempfile

from pelican.cache import FileDataCacher
from pelican.log import DEFAULT_LOG_HANDLER, LimitFilter

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
        except (
            Exception
        ) as error:  # any unreadable cache: EOFError, ValueError, AttributeError, ...
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


def not_casebook(record: logging.LogRecord) -> bool:
    return not record.name.startswith("casebook")


def print_whole_lines(pelican=None) -> None:
    """Connected to `initialized`: Casebook's messages printed whole (see the module's
    docstring)."""
    casebook = logging.getLogger("casebook")
    if not any(isinstance(handler, WholeLines) for handler in casebook.handlers):
        casebook.addHandler(WholeLines())
        DEFAULT_LOG_HANDLER.addFilter(not_casebook)


def forget_logged_messages() -> None:
    """The next build's messages all show, even those an earlier build in this process logged."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
