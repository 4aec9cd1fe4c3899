"""Draw again only the pages whose content changed, when Pelican's content cache is on.

Every page Casebook caches is drawn from two kinds of input: site-wide ones
(settings, theme, this plugin, the roster, the guide pages, library versions)
and its own, listed per template in PAGE_INPUTS (its entries, with their
comments). A page whose inputs match the last build's is copied from the
output folder instead of drawn; any other template is always drawn. Pelican
still writes every page into the staging folder, so each build's output is
whole. The fingerprints live in the output folder itself (MANIFEST), so they
always describe the pages beside them, whatever build failed in between.

Follows Pelican's own switches: CACHE_CONTENT records fingerprints,
LOAD_CONTENT_CACHE reuses pages. The templates named in PAGE_INPUTS must show
nothing else: tests/test_page_cache.py rebuilds after many kinds of change
and compares the output with a build from scratch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from importlib.metadata import version
from pathlib import Path

from pelican.writers import Writer

logger = logging.getLogger(__name__)

MANIFEST = ".casebook-pages.json"
CODE = Path(__file__).resolve().parent
LIBRARIES = ("pelican", "markdown", "pygments", "jinja2", "nh3")
SITE_LINK = re.compile(r"[{|](filename|static|attach|tag|category|author|index)[|}]")


def paginated(c) -> list:
    page = c["articles_page"]
    return [page.number, c["articles_paginator"].num_pages, *page.object_list]


def lessons_shown(c) -> list:
    """A lesson list shows each lesson with its entry's title, author and date: not the whole entry."""
    return [c["endorsed_only"], *((group.name, group.anchor, *(
        (lesson.html, lesson.url, lesson.endorsed, lesson.entry.title, lesson.entry.author.name,
         lesson.entry.date.isoformat()) for lesson in group.lessons)) for group in c["groups"])]


def counted(pairs) -> list:
    return [(thing.name, len(entries)) for thing, entries in pairs]


# What each cached template shows besides site-wide values. A tag page shows
# its lessons, which come from every entry with the tag; so do its counts.
PAGE_INPUTS = {
    "article.html": lambda c: [c["article"]],
    "page.html": lambda c: [c["page"]],
    "index.html": paginated,
    "author.html": lambda c: [c["author"].name, len(c["articles"]), *paginated(c)],
    "tag.html": lambda c: [c["tag"].name, *c["articles"], *paginated(c)],
    "period_archives.html": lambda c: [repr(c["period"]), *c["dates"]],
    "archives.html": lambda c: c["dates"],
    "tags.html": lambda c: counted(c["tags"]),
    "authors.html": lambda c: counted(c["authors"]),
    "endorsed.html": lambda c: c["endorsed_entries"],
    "lessons.html": lessons_shown,
}


def fingerprint(*parts) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def folder_fingerprint(folder: Path) -> str:
    files = sorted(path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    return fingerprint(*(part for path in files for part in (path.relative_to(folder), path.read_bytes())))


def site_fingerprint(settings: dict) -> str:
    """Everything every page may show: a change here draws every page again."""
    content = Path(settings["PATH"])
    guide_pages = [content / folder for folder in settings["PAGE_PATHS"]]
    return fingerprint(
        json.dumps(settings, sort_keys=True, default=repr),
        *(version(library) for library in LIBRARIES),
        folder_fingerprint(CODE), folder_fingerprint(Path(settings["THEME"]) / "templates"),
        *(folder_fingerprint(folder) for folder in guide_pages if folder.is_dir()),
        *(path.read_bytes() for path in [content / settings.get("CASEBOOK_PEOPLE", "people.toml")] if path.is_file()),
    )


class PageCache:
    def __init__(self, settings: dict, staging: Path):
        self.staging = staging
        self.previous = Path(settings["OUTPUT_PATH"])
        self.reuse = settings["LOAD_CONTENT_CACHE"]
        self.site = site_fingerprint(settings)
        self.old = self.read_manifest() if self.reuse else {}
        self.new: dict[str, str] = {}
        self.kept = 0
        self.content: dict[str, str] = {}  # source path -> fingerprint
        self.links: str | None = None

    def read_manifest(self) -> dict[str, str]:
        try:
            manifest = json.loads((self.previous / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return manifest.get("pages", {}) if manifest.get("site") == self.site else {}

    def save(self) -> None:
        manifest = {"site": self.site, "pages": self.new}
        (self.staging / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")

    def render(self, template, context: dict) -> str:
        inputs = PAGE_INPUTS.get(template.name)
        if inputs is None:
            return template.render(context)
        name = context["output_file"]
        key = fingerprint(self.site, template.name, name, context.get("SITEURL"),
                          *(self.input_fingerprint(value, context) for value in inputs(context)))
        self.new[name] = key
        if self.old.get(name) == key:
            try:
                page = (self.previous / name).read_text(encoding="utf-8")
            except OSError:
                pass  # removed by hand since: draw it
            else:
                self.kept += 1
                return page
        return template.render(context)

    def input_fingerprint(self, value, context: dict) -> str:
        source = getattr(value, "source_path", None)
        if source is None:
            return str(value)
        if source not in self.content:
            self.content[source] = self.content_fingerprint(value, context)
        return self.content[source]

    def content_fingerprint(self, content, context: dict) -> str:
        """An entry or page: its file and its comments' files, and the site's addresses if it links to them."""
        text = Path(content.source_path).read_bytes()
        discussion = getattr(content, "discussion", None)
        comments = sorted(discussion.sources) if discussion else []
        links = self.site_links(context) if SITE_LINK.search(text.decode("utf-8")) else ""
        return fingerprint(text, *(part for path in comments for part in (path, path.read_bytes())), links)

    def site_links(self, context: dict) -> str:
        if self.links is None:
            targets = {**context.get("generated_content", {}), **context.get("static_content", {})}
            self.links = fingerprint(*(f"{path}={target.url}" for path, target in sorted(targets.items())))
        return self.links


class CachedTemplate:
    """What Pelican's writer sees: a template whose render() may come from the cache."""

    def __init__(self, template, cache: PageCache):
        self.template, self.cache = template, cache

    def render(self, context: dict) -> str:
        return self.cache.render(self.template, context)


_caches: dict[str, PageCache] = {}  # by staging folder, from the writer to the end of the build


class PageCachingWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.cache = _caches[output_path] = PageCache(settings, Path(output_path))

    def write_file(self, name, template, context, *args, **kwargs):
        return super().write_file(name, CachedTemplate(template, self.cache), context, *args, **kwargs)


def forget_stale_reader_cache(pelican) -> None:
    """Connected to `get_generators`: Pelican's cache of what our reader made is only as good as the reader.

    Pelican checks each file's date, not the code that read it: after a change
    to this plugin, the Markdown settings or a library, entries are read again.
    """
    settings = pelican.settings
    if not settings["LOAD_CONTENT_CACHE"]:
        return
    cache = Path(settings["CACHE_PATH"])
    stamp = cache / "casebook-reader.txt"
    reader = fingerprint(folder_fingerprint(CODE), json.dumps(settings["MARKDOWN"], sort_keys=True, default=repr),
                         *(version(library) for library in LIBRARIES))
    if stamp.is_file() and stamp.read_text() == reader:
        return
    for stale in cache.glob("*-Readers"):
        stale.unlink()
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(reader)


def page_caching_writer(pelican):
    """Connected to `get_writer`: with Pelican's content cache on, use ours for pages."""
    return PageCachingWriter if pelican.settings["CACHE_CONTENT"] else None


def save_fingerprints(pelican) -> None:
    """Connected to `finalized`: the fingerprints go into the staged output they describe."""
    cache = _caches.pop(pelican.output_path, None)
    if cache:
        cache.save()
        logger.info("Page cache: kept %d unchanged pages from the last build, drew %d.",
                    cache.kept, len(cache.new) - cache.kept)
