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
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable
from importlib.metadata import version
from itertools import chain
from pathlib import Path

from pelican.utils import sanitised_join
from pelican.writers import Writer

from .settings import CasebookSettings

logger = logging.getLogger(__name__)

MANIFEST = ".casebook-pages.json"
CODE = Path(__file__).resolve().parent
# The libraries that turn content into pages (phonenumbers: into the preview's privacy banner).
LIBRARIES = ("pelican", "markdown", "pygments", "jinja2", "nh3", "phonenumbers")
CONTENT_TEMPLATES = {"article.html", "page.html"}  # one page per content file
SITE_LINK = re.compile(r"[{|](filename|static|attach|tag|category|author|index)[|}]")


def paginated(c) -> list:
    page = c["articles_page"]
    return [page.number, c["articles_paginator"].num_pages, *page.object_list]


def lessons_shown(groups) -> list:
    """A lesson list shows each lesson with its entry's title, author and date: not the whole
    entry."""
    return [
        (
            group.name,
            group.anchor,
            *(
                (
                    lesson.html,
                    lesson.url,
                    lesson.endorsed,
                    lesson.entry.title,
                    lesson.entry.author.name,
                    lesson.entry.date.isoformat(),
                )
                for lesson in group.lessons
            ),
        )
        for group in groups
    ]


def archive_shown(entries) -> list:
    """An archive line: title, address, date, author, comments, endorsed. Not the text."""
    return [
        (
            entry.title,
            entry.slug,
            entry.date.isoformat(),
            entry.author.name,
            entry.discussion.count,
            bool(entry.discussion.endorsements),
        )
        for entry in entries
    ]


def tag_page(c) -> list:
    """A tag's count on every page; its lessons on the first."""
    group = c["lessons_by_tag"].get(c["tag"].name) if c["articles_page"].number == 1 else None
    return [
        c["tag"].name,
        len(c["articles"]),
        *paginated(c),
        *lessons_shown([group] if group else []),
    ]


def path_shown(path) -> list:
    """A reading path's page or handout: the path, and its entries with their notes."""
    return [
        path.name,
        path.title,
        path.intro,
        *(part for stop in path.stops for part in (stop.note, stop.entry)),
    ]


def counted(pairs) -> list:
    return [(thing.name, len(entries)) for thing, entries in pairs]


# What each cached template shows besides site-wide values: a page is drawn
# again when one of these changes. An entry stands for all it shows.
PAGE_INPUTS = {
    "article.html": lambda c: [
        c["article"],
        *(place.shown() for place in c["article"].reading_places),
        *c["article"].read_next.shown(),  # previous, next and related: other entries' titles
    ],
    "page.html": lambda c: [c["page"]],
    "index.html": paginated,
    "author.html": lambda c: [c["author"].name, len(c["articles"]), *paginated(c)],
    "tag.html": tag_page,
    "period_archives.html": lambda c: [repr(c["period"]), *archive_shown(c["dates"])],
    "archives.html": lambda c: archive_shown(c["dates"]),  # the search is drawn by its script
    "tags.html": lambda c: counted(c["tags"]),
    "authors.html": lambda c: counted(c["authors"]),
    "endorsed.html": lambda c: c["endorsed_entries"],
    "lessons.html": lambda c: [c["endorsed_only"], *lessons_shown(c["groups"])],
    "404.html": lambda c: [],
    "paths.html": lambda c: [
        (path.name, path.title, path.intro, len(path.stops)) for path in c["reading_paths"]
    ],
    "path.html": lambda c: path_shown(c["reading_path"]),
    "path_handout.html": lambda c: path_shown(c["reading_path"]),
    "insights.html": lambda c: c["figures"],  # its numbers: from every entry, though it shows none
    "review.html": lambda c: [
        c["today"],
        *(waiting.entry for waiting in c["queue"].not_reviewed),
        "reviewed",
        *(waiting.entry for waiting in c["queue"].not_endorsed),
    ],
}


def fingerprint(*parts) -> str:
    return fingerprint_of(parts)


def fingerprint_of(parts: Iterable) -> str:
    """The parts' digest, taken one part at a time: a long page's inputs need not all be in memory
    at once."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def folder_fingerprint(folder: Path) -> str:
    files = sorted(
        path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    )
    return fingerprint(
        *(part for path in files for part in (path.relative_to(folder), path.read_bytes()))
    )


def code_fingerprint() -> str:
    """This plugin and the libraries that turn content into pages."""
    return fingerprint(folder_fingerprint(CODE), *(version(library) for library in LIBRARIES))


def site_fingerprint(settings: dict) -> str:
    """Everything every page may show: a change here draws every page again."""
    content = Path(settings["PATH"])
    guide_pages = [content / folder for folder in settings["PAGE_PATHS"]]
    return fingerprint(
        json.dumps(settings, sort_keys=True, default=repr),
        code_fingerprint(),
        folder_fingerprint(Path(settings["THEME"])),  # templates, and files they link
        *(folder_fingerprint(folder) for folder in guide_pages if folder.is_dir()),
        *(
            path.read_bytes()
            for path in [CasebookSettings.from_pelican(settings).people_file]
            if path.is_file()
        ),
    )


def reuses_last_build(settings: dict) -> bool:
    """Whether this build may take what the last builds made (pages, feeds, search files) instead
    of making it."""
    return settings["CACHE_CONTENT"] and settings["LOAD_CONTENT_CACHE"]


class PageCache:
    """The pages' fingerprints: this build's, and those of the two folders it may reuse pages from.

    The output folder holds the last build; the staging folder, where this
    build is written, holds the build before it (see staging.py). On
    creation, the staging folder is cleared of everything but the pages that
    may still be right: it keeps no manifest, so a build that fails half-way
    leaves nothing there that the next build would trust.
    """

    def __init__(self, settings: dict, staging: Path, content_pages: set[str]):
        self.staging = staging
        self.output = Path(settings["OUTPUT_PATH"])
        self.site = site_fingerprint(settings)
        reuse = reuses_last_build(settings)
        self.in_output = self.read_manifest(self.output) if reuse else {}
        staged = self.read_manifest(staging) if reuse else {}
        # A removed entry's page must go before Pagefind reads the entry pages.
        self.in_staging = {
            name: key
            for name, (template, key) in staged.items()
            if template not in CONTENT_TEMPLATES or name in content_pages
        }
        self.clearing = clear_all_but(staging, self.in_staging)
        self.new: dict[str, list[str]] = {}
        self.kept = self.in_place = 0
        self.content: dict[str, str] = {}  # source path -> fingerprint
        self.links: str | None = None

    def read_manifest(self, folder: Path) -> dict[str, list[str]]:
        """The fingerprints of the pages in a folder; none if they are of another site or not as we
        write them."""
        if not (folder / MANIFEST).is_file():
            return {}
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            pages = manifest["pages"] if manifest["site"] == self.site else {}
            if all(
                inside(name) and [type(part) for part in page] == [str, str]
                for name, page in pages.items()
            ):
                return pages
        except (OSError, ValueError, LookupError, TypeError, AttributeError):
            pass
        logger.info(
            "Page cache: %s does not describe this site's pages; they are drawn again.",
            folder / MANIFEST,
        )
        return {}

    def save(self) -> None:
        manifest = {"site": self.site, "pages": self.new}
        (self.staging / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")

    def key(self, template, context: dict) -> str | None:
        """The page's fingerprint, recorded for the next build; None for a template we do not
        cache."""
        inputs = PAGE_INPUTS.get(template.name)
        if inputs is None:
            return None
        return self.record(context["output_file"], template.name, context, inputs(context))

    def record(self, name: str, kind: str, context: dict, inputs) -> str:
        key = fingerprint_of(
            chain(
                (self.site, kind, name, context.get("SITEURL")),
                (self.input_fingerprint(value, context) for value in inputs),
            )
        )
        self.new[name] = [kind, key]
        return key

    def staged(self, name: str, key: str | None) -> bool:
        """Whether the staging folder already holds this page, drawn from the same inputs."""
        if key is None or self.in_staging.get(name) != key:
            return False
        self.kept += 1
        self.in_place += 1
        return True

    def previous_page(self, name: str, key: str | None) -> Path | None:
        """The last build's page, if it was drawn from the same inputs."""
        page = self.output / name
        if key is None or self.in_output.get(name, [None, None])[1] != key or not page.is_file():
            return None
        self.kept += 1
        return page

    def input_fingerprint(self, value, context: dict) -> str:
        source = getattr(value, "source_path", None)
        if source is None:
            return str(value)
        if source not in self.content:
            self.content[source] = self.content_fingerprint(value, context)
        return self.content[source]

    def content_fingerprint(self, content, context: dict) -> str:
        """An entry (its file and its comments) or a page, and the site's addresses if it links to
        them."""
        own = getattr(content, "source_fingerprint", None) or fingerprint(
            Path(content.source_path).read_bytes()
        )
        linking = SITE_LINK.search(content._content or "") or SITE_LINK.search(
            content.metadata.get("summary", "")
        )
        return fingerprint(own, self.site_links(context) if linking else "")

    def site_links(self, context: dict) -> str:
        if self.links is None:
            targets = {**context.get("generated_content", {}), **context.get("static_content", {})}
            self.links = fingerprint(
                *(f"{path}={target.url}" for path, target in sorted(targets.items()))
            )
        return self.links


def inside(name: str) -> bool:
    """A page's name in a manifest: a path within the site's folder."""
    return bool(name) and not posixpath.isabs(name) and ".." not in name.split("/")


def clear_all_but(folder: Path, keep: dict[str, object]) -> threading.Thread:
    """Remove every file under `folder` whose relative path is not in `keep`.

    A folder holding none of them (the search bundle, the feeds, ...) is moved
    aside in one rename and deleted by the thread returned, while pages are drawn.
    """
    needed = {""}
    for name in keep:
        while (name := posixpath.dirname(name)) not in needed:
            needed.add(name)
    trash = Path(tempfile.mkdtemp(prefix=f"{folder.name}.trash-", dir=folder.parent))
    leftovers = [
        old for old in folder.parent.glob(f"{folder.name}.trash-*") if old != trash
    ]  # a killed build's

    def clear(relative: str) -> None:
        for entry in os.scandir(folder / relative):
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir(follow_symlinks=False):
                if name in needed:
                    clear(name)
                else:
                    os.rename(entry.path, trash / str(len(os.listdir(trash))))
            elif name not in keep:
                os.unlink(entry.path)

    if folder.is_dir():
        clear("")
    remover = threading.Thread(
        target=lambda: [shutil.rmtree(old, ignore_errors=True) for old in [trash, *leftovers]]
    )
    remover.start()
    return remover


class CachedTemplate:
    """What Pelican's writer sees: a template whose render() may come from the cache."""

    def __init__(self, template, writer: PageCachingWriter):
        self.template, self.writer = template, writer

    def render(self, context: dict) -> str:
        return self.writer.render(self.template, context)


_writers: dict[
    str, PageCachingWriter
] = {}  # by staging folder, from the writer to the end of the build
_caches: dict[str, PageCache] = {}  # by staging folder, from the end of reading to the writer


class PageCachingWriter(Writer):
    """Pelican's writer, with the page cache; each page goes to its file as it is drawn.

    A page is left where it is in the staging folder, linked from the output
    folder (copied where the disk refuses links), or drawn straight into its
    file, so that a long page (the lessons index) never sits whole in memory.
    Pelican then writes nothing more (see _open_w).

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
        super().write_file(name, CachedTemplate(template, self), context, *args, **kwargs)

    def render(self, template, context: dict) -> str:
        name = context["output_file"]
        path = sanitised_join(self.output_path, name)
        if (
            path in self._written_files
        ):  # written twice: Pelican decides which one stays, so no caching
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
        if full and full not in self._written_files:
            inputs = [url, feed_type, feed_title, *elements[: self.settings["FEED_MAX_ITEMS"]]]
            if self.keep(path, full, self.cache.record(path, "feed", context, inputs)):
                self._written_files.add(full)
                return None
        return super().write_feed(
            elements, context, path, url, feed_type, override_output, feed_title
        )

    def _open_w(self, filename, encoding, override=False):
        if filename not in self.done:
            unshare(
                filename
            )  # Pelican writes in place: a feed drawn again, or a page written twice
            return super()._open_w(filename, encoding, override)
        self.done.discard(filename)
        self._written_files.add(filename)
        if override:  # Pelican's bookkeeping, as in Writer._open_w
            self._overridden_files.add(filename)
        return open(os.devnull, "w", encoding=encoding)

    def finish(self) -> None:
        """Remove the pages of the build before last that this build did not make, and record the
        fingerprints."""
        paths = {name: sanitised_join(self.output_path, name) for name in self.cache.in_staging}
        stale = [name for name, path in paths.items() if path not in self._written_files]
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


def remove_empty_folders(root: Path, folders: set[Path]) -> None:
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder.parts and (root / folder).is_dir() and not any((root / folder).iterdir()):
            (root / folder).rmdir()
            folder = folder.parent


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
        code_fingerprint(), json.dumps(settings["MARKDOWN"], sort_keys=True, default=repr)
    )
    if stamp.is_file() and stamp.read_text() == reader:
        return
    forget_read_content(cache)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(reader)


def forget_read_content(cache: Path) -> None:
    """Drop Pelican's cache of what the reader made: the next build reads every file again."""
    for stale in cache.glob("*-Readers"):
        stale.unlink()


def prepare_page_cache(generators) -> None:
    """Connected to `all_generators_finalized`: everything is read, nothing written yet."""
    generator = generators[0]
    if not generator.settings["CACHE_CONTENT"]:
        return
    content_pages = {
        content.save_as for content in generator.context["generated_content"].values() if content
    }
    _caches[generator.output_path] = PageCache(
        generator.settings, Path(generator.output_path), content_pages
    )


def page_caching_writer(pelican):
    """Connected to `get_writer`: with Pelican's content cache on, use ours for pages."""
    return PageCachingWriter if pelican.settings["CACHE_CONTENT"] else None


def save_fingerprints(pelican) -> None:
    """Connected to `finalized`: the fingerprints go into the staged output they describe."""
    writer = _writers.pop(pelican.output_path, None)
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
