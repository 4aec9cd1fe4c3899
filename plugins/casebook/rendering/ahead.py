"""Convert entries and comments ahead, in a second process, while Pelican works in this one.

Pelican reads the entries one at a time on one core, then draws the pages, each
entry's comments with it. A worker process, forked so that it has this build's
settings and our code, converts the entries and then the comments, a chunk at
a time. Whichever process comes to a file first claims it (a flag in shared
memory), so that the two share the work; this process takes the worker's
result when it is ready and converts the file itself otherwise. The same code
converts either way. Files Pelican takes from its content cache are left out.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from ..build import AHEAD, CHECKED
from ..children import ending_with
from ..seams import markdown_reader, read_before
from .comment_markdown import CommentRenderer

CHUNK = 25  # files per task: few enough messages, small enough to be ready early
AT_LEAST = 100  # entries to convert; below this, starting a process costs more than it saves

logger = logging.getLogger(__name__)

_work = None  # (paths, converters, claimed): what the forked worker inherits
_running: RenderAhead | None = None  # this process's worker, until its build ends


def _convert(start: int, stop: int) -> list[tuple]:
    paths, converters, claimed = _work
    done = []
    for index in range(start, stop):
        if not claimed[index]:
            claimed[index] = 1
            converter = converters[0] if index < converters[2] else converters[1]
            done.append((index, converter(paths[index])))
    return done


class RenderAhead:
    def __init__(self, reader, entries: list[str], comment_renderer, comments: list[str]):
        global _work
        fork = multiprocessing.get_context("fork")
        paths = entries + comments
        self.claimed = fork.RawArray("b", len(paths))  # shared with the worker
        _work = (
            paths,
            (reader.convert, comment_renderer, len(entries)),
            self.claimed,
        )  # before the fork
        self.pool = ProcessPoolExecutor(
            max_workers=1, mp_context=fork, initializer=ending_with(os.getpid())
        )
        self.tasks = [
            self.pool.submit(_convert, start, min(start + CHUNK, len(paths)))
            for start in range(0, len(paths), CHUNK)
        ]
        self.index = {path: index for index, path in enumerate(paths)}
        self.results: dict[int, object] = {}
        self.entries, self.comments = len(entries), len(comments)
        self.taken = [0, 0]  # entries, comments

    def take(self, path) -> object | None:
        """The worker's result for this file if it is ready; None: convert it here."""
        index = self.index.get(str(path))
        if index is None:
            return None
        chunk = index // CHUNK
        task = self.tasks[chunk]
        if task is not None and task.done() and not task.cancelled() and not task.exception():
            self.results.update(task.result())
            self.tasks[chunk] = (
                None  # collected: the future would hold its results for the rest of the build
            )
        result = self.results.pop(index, None)
        if result is None:
            self.claimed[index] = 1  # converted here: the worker can skip it
        else:
            self.taken[index >= self.entries] += 1
        return result

    def close(self) -> None:
        global _running
        _running = None
        self.pool.shutdown(
            wait=False, cancel_futures=True
        )  # the worker ends after its current chunk

    def report(self) -> None:
        logger.info(
            "Converted in a second process: %d of %d entries, %d of %d comments.",
            self.taken[0],
            self.entries,
            self.taken[1],
            self.comments,
        )


@atexit.register
def stop_unfinished() -> None:
    """A build that failed after the worker started (in this process, or at exit) must not leave it
    running."""
    if _running:
        _running.close()


def start(generator) -> None:
    """Connected to `article_generator_init`, after the content check: Pelican reads next."""
    global _running
    stop_unfinished()
    reader = markdown_reader(generator)
    content = generator.context.get(CHECKED)
    if (
        not hasattr(reader, "convert")
        or not content
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return
    entries = [
        str(header.path)
        for header in content.entries
        if not read_before(generator, str(header.path))
    ]
    if len(entries) < AT_LEAST:
        return  # a rebuild: comments are converted only for the pages drawn again
    comments = [str(header.path) for headers in content.comments.values() for header in headers]
    renderer = CommentRenderer(generator.settings)
    reader.ahead = generator.context[AHEAD] = _running = RenderAhead(
        reader, entries, renderer, comments
    )


def entries_read(generator) -> None:
    """Connected to `article_generator_pretaxonomy`: the reader is done; comments come next."""
    reader = markdown_reader(generator)
    if reader is not None:
        reader.ahead = None


def stop(generator, writer) -> None:
    """Connected to `article_writer_finalized`, after our own pages: every comment is drawn."""
    ahead = generator.context.pop(AHEAD, None)
    if ahead:
        ahead.close()
        ahead.report()
