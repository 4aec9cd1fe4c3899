"""Convert entries ahead, in a second process, while Pelican reads them one by one in this one.

Pelican reads the entries on one core. A worker process, forked so that it has
this build's settings and our reader, converts them in order, a chunk at a
time; when Pelican asks for an entry the worker has already done, the reader
takes that, otherwise it converts the entry itself. Either way the same code
made the HTML. Entries Pelican will take from its content cache are left out.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from ..build import CHECKED

CHUNK = 25  # entries per task: few enough messages, small enough to be ready early
AT_LEAST = 100  # below this, starting a process costs more than it saves

logger = logging.getLogger(__name__)

_reader = None  # the reader the forked worker converts with


def _convert(paths: list[str]) -> list[tuple]:
    return [(path, *_reader.convert(path)) for path in paths]


class RenderAhead:
    def __init__(self, reader, paths: list[str]):
        global _reader
        _reader = reader  # before the fork: the worker inherits it
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        self.tasks: dict[str, Future] = {}
        for start in range(0, len(paths), CHUNK):
            chunk = paths[start:start + CHUNK]
            task = self.pool.submit(_convert, chunk)
            self.tasks.update(dict.fromkeys(chunk, task))
        self.converted: dict[str, tuple] = {}
        self.planned, self.taken = len(paths), 0

    def take(self, path: str) -> tuple | None:
        """The worker's result for this file if it is ready; None: convert it here."""
        task = self.tasks.pop(path, None)
        if path not in self.converted and task is not None and task.done() and not task.exception():
            self.converted.update((done[0], done[1:]) for done in task.result())
        converted = self.converted.pop(path, None)
        self.taken += converted is not None
        return converted

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def start(generator) -> None:
    """Connected to `article_generator_init`, after the content check: Pelican reads next."""
    reader = generator.readers.readers.get("md")
    if not hasattr(reader, "convert") or "fork" not in multiprocessing.get_all_start_methods():
        return
    entries = generator.context.get(CHECKED)
    paths = [str(header.path) for header in entries.entries] if entries else []
    paths = [path for path in paths if generator.readers.get_cached_data(path, None) is None]
    if len(paths) >= AT_LEAST:
        reader.ahead = RenderAhead(reader, paths)


def stop(generator) -> None:
    """Connected to `article_generator_pretaxonomy`: every entry has been read."""
    reader = generator.readers.readers.get("md")
    if getattr(reader, "ahead", None):
        reader.ahead.close()
        logger.info("%d of %d entries were converted in a second process.", reader.ahead.taken, reader.ahead.planned)
        reader.ahead = None
