"""Pelican's Writer with the page cache (PageCachingWriter): pages kept, linked or drawn to disk."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from pelican.utils import sanitised_join

from ..seams import TemplateStandIn, WriterSeam
from .clearing import remove_empty_folders
from .manifest import PageCache

# Pelican makes the writer itself: the cache is handed over through these, by staging folder.
_caches: dict[str, PageCache] = {}  # from the end of reading to the writer's creation
_writers: dict[str, PageCachingWriter] = {}  # from the writer's creation to the end of the build


def hand_to_writer(output_path: str, cache: PageCache) -> None:
    """The cache the writer for this folder will use, once Pelican makes it."""
    _caches[output_path] = cache


def writer_for(output_path: str) -> PageCachingWriter | None:
    """The page-caching writer of this folder's build, if there was one (and forget it)."""
    return _writers.pop(output_path, None)


class PageCachingWriter(WriterSeam):
    """Pelican's writer, with the page cache; each page goes to its file as it is drawn.

    A page is left where it is in the staging folder, linked from the output
    folder (copied where the disk refuses links), or drawn straight into its
    file, so that a long page (the lessons index) never sits whole in memory.
    Pelican then writes nothing more (see seams.WriterSeam).

    A linked page is one file in two folders: writing into it would change
    the live site before the build is done. So no file in the staging folder
    is ever written in place; a page drawn again replaces its file.
    """

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.cache = _caches.pop(output_path)
        self.done: set[str] = set()  # pages on disk, that Pelican is about to write
        _writers[output_path] = self

    def write_file(self, name, template, context, *args, **kwargs):
        drawn_here = TemplateStandIn(lambda page_context: self.render(template, page_context))
        super().write_file(name, drawn_here, context, *args, **kwargs)

    def render(self, template, context: dict) -> str:
        name = context["output_file"]
        path = sanitised_join(self.output_path, name)
        # Written twice: Pelican decides which one stays, so no caching.
        if self.was_written(path):
            self.cache.new.pop(name, None)
            return template.render(context)
        if not self.keep(name, path, self.cache.key(template, context)):
            remove_file(path)
            with open(path, "w", encoding="utf-8") as page:
                page.writelines(template.generate(context))
        self.done.add(path)
        return ""

    def keep(self, name: str, path: str, key: str | None) -> bool:
        """Leave the file where it is, or link it from the last build, if it was made from the same
        inputs."""
        if self.cache.staged(name, key):
            return True
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if previous := self.cache.previous_page(name, key):
            remove_file(path)
            try:
                os.link(previous, path)
            except OSError:  # a disk that refuses hard links (some network drives)
                shutil.copyfile(previous, path)
            return True
        return False

    def write_feed(
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        """A feed is kept like a page while the site and its entries are as they were.

        Pelican sends `feed_generated` and `feed_written` only for the feeds it draws again.
        """
        full = path and sanitised_join(self.output_path, path)
        if full and not self.was_written(full):
            inputs = [url, feed_type, feed_title, *elements[: self.settings["FEED_MAX_ITEMS"]]]
            if self.keep(path, full, self.cache.record(path, "feed", context, inputs)):
                self.record_written(full)
                return None
        return super().write_feed(
            elements, context, path, url, feed_type, override_output, feed_title
        )

    def already_on_disk(self, path: str) -> bool:
        if path not in self.done:
            return False
        self.done.discard(path)
        return True

    def before_writing(self, path: str) -> None:
        unshare(path)  # Pelican writes in place: a feed drawn again, or a page written twice

    def finish(self) -> None:
        """Remove the pages of the build before last that this build did not make, and record the
        fingerprints."""
        paths = {name: sanitised_join(self.output_path, name) for name in self.cache.in_staging}
        stale = [name for name, path in paths.items() if not self.was_written(path)]
        for name in stale:
            os.unlink(paths[name])
        remove_empty_folders(Path(self.output_path), {Path(name).parent for name in stale})
        self.cache.save()
        self.cache.clearing.join()


def remove_file(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def unshare(path: str) -> None:
    """Give a file linked from elsewhere its own copy, so that writing into it changes nothing
    else."""
    try:
        shared = os.stat(path).st_nlink > 1
    except FileNotFoundError:
        return
    if shared:
        private = f"{path}.unshared"
        shutil.copyfile(path, private)
        os.replace(private, path)
