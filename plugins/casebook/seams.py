"""Where Casebook changes Pelican's own behaviour, beyond its signals and settings.

Each seam here depends on a part of Pelican that is not public API. The
pinned Pelican is checked by tests/test_seams.py, which fails with a clear
message if one of these parts changes.

- Pelican's content cache (`pelican.cache.FileDataCacher`) writes its pickle
  in place and lets some unpickling errors through. A build stopped while
  saving, or content that cannot be pickled, left a cache that made every
  later build fail with EOFError. Here a cache that cannot be read is
  discarded with a warning, and a cache is written to a temporary file and
  renamed into place, so it is never half-written.
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
import tempfile

from pelican.cache import FileDataCacher
from pelican.log import LimitFilter

logger = logging.getLogger(__name__)


def make_cache_safe(pelican=None) -> None:
    """Connected to `initialized`: Pelican's cache, read and written safely (see the module's docstring)."""
    if getattr(FileDataCacher.save_cache, "casebook", False):
        return  # already in place (the plugin can be loaded more than once in one process)
    read_or_fail = FileDataCacher.__init__

    def read_or_discard(self, settings, cache_name, caching_policy, load_policy):
        try:
            read_or_fail(self, settings, cache_name, caching_policy, load_policy)
        except Exception as error:  # any unreadable cache: EOFError, ValueError, AttributeError, ...
            logger.warning("Pelican's cache %s could not be read (%s: %s), so it was discarded: this build "
                           "reads every file again.", self._cache_path, type(error).__name__, error)
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
        logger.warning("Pelican's cache %s could not be saved (%s: %s); the last one is kept.",
                       self._cache_path, type(error).__name__, error)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)


_atomic_save.casebook = True


def forget_logged_messages() -> None:
    """The next build's messages all show, even those an earlier build in this process logged."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
