"""Draw again only the pages whose content changed, when Pelican's content cache is on.

Every page Casebook caches is drawn from two kinds of input: site-wide ones
(settings, theme, this plugin, the roster, the guide pages, library versions)
and its own, listed per template in PAGE_INPUTS (its entries, with their
comments). A page whose inputs match the last build's is hard-linked from
the output folder into the staging folder instead of drawn (a paginated page
is copied: Pelican writes those itself); any other template is always drawn.
Every page is in the staging folder either way, so each build's output is
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
import os
import re
from importlib.metadata import version
from pathlib import Path

from pelican import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

logger = logging.getLogger(__name__)

MANIFEST = ".casebook-pages.json"
CODE = Path(__file__).resolve().parent
LIBRARIES = ("pelican", "markdown", "pygments", "jinja2", "nh3")
SITE_LINK = re.compile(r"[{|](filename|static|attach|tag|category|author|index)[|}]")


def paginated(c) -> list:
    page = c["articles_page"]
    return [page.number, c["articles_paginator"].num_pages, *page.object_list]


def lessons_shown(groups) -> list:
    """A lesson list shows each lesson with its entry's title, author and date: not the whole entry."""
    return [(group.name, group.anchor, *((lesson.html, lesson.url, lesson.endorsed, lesson.entry.title,
                                          lesson.entry.author.name, lesson.entry.date.isoformat())
                                         for lesson in group.lessons)) for group in groups]


def archive_shown(entries) -> list:
    """An archive line: title, address, date, author, comments, endorsed. Not the text."""
    return [(entry.title, entry.slug, entry.date.isoformat(), entry.author.name, entry.discussion.count,
             bool(entry.discussion.endorsements)) for entry in entries]


def tag_page(c) -> list:
    """A tag's count on every page; its lessons on the first."""
    group = c["lessons_by_tag"].get(c["tag"].name) if c["articles_page"].number == 1 else None
    return [c["tag"].name, len(c["articles"]), *paginated(c), *lessons_shown([group] if group else [])]


def counted(pairs) -> list:
    return [(thing.name, len(entries)) for thing, entries in pairs]


# What each cached template shows besides site-wide values: a page is drawn
# again when one of these changes. An entry stands for all it shows.
PAGE_INPUTS = {
    "article.html": lambda c: [c["article"]],
    "page.html": lambda c: [c["page"]],
    "index.html": paginated,
    "author.html": lambda c: [c["author"].name, len(c["articles"]), *paginated(c)],
    "tag.html": tag_page,
    "period_archives.html": lambda c: [repr(c["period"]), *archive_shown(c["dates"])],
    "archives.html": lambda c: archive_shown(c["dates"]),
    "tags.html": lambda c: counted(c["tags"]),
    "authors.html": lambda c: counted(c["authors"]),
    "endorsed.html": lambda c: c["endorsed_entries"],
    "lessons.html": lambda c: [c["endorsed_only"], *lessons_shown(c["groups"])],
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


def code_fingerprint() -> str:
    """This plugin and the libraries that turn content into pages."""
    return fingerprint(folder_fingerprint(CODE), *(version(library) for library in LIBRARIES))


def site_fingerprint(settings: dict) -> str:
    """Everything every page may show: a change here draws every page again."""
    content = Path(settings["PATH"])
    guide_pages = [content / folder for folder in settings["PAGE_PATHS"]]
    return fingerprint(
        json.dumps(settings, sort_keys=True, default=repr),
        code_fingerprint(), folder_fingerprint(Path(settings["THEME"]) / "templates"),
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

    def key(self, template, context: dict) -> str | None:
        """The page's fingerprint, recorded for the next build; None for a template we do not cache."""
        inputs = PAGE_INPUTS.get(template.name)
        if inputs is None:
            return None
        name = context["output_file"]
        self.new[name] = fingerprint(self.site, template.name, name, context.get("SITEURL"),
                                     *(self.input_fingerprint(value, context) for value in inputs(context)))
        return self.new[name]

    def previous_page(self, name: str, key: str | None) -> Path | None:
        """The last build's page, if it was drawn from the same inputs."""
        page = self.previous / name
        return page if key and self.old.get(name) == key and page.is_file() else None

    def render(self, template, context: dict) -> str:
        previous = self.previous_page(context["output_file"], self.key(template, context))
        if previous is None:
            return template.render(context)
        self.kept += 1
        return previous.read_text(encoding="utf-8")

    def input_fingerprint(self, value, context: dict) -> str:
        source = getattr(value, "source_path", None)
        if source is None:
            return str(value)
        if source not in self.content:
            self.content[source] = self.content_fingerprint(value, context)
        return self.content[source]

    def content_fingerprint(self, content, context: dict) -> str:
        """An entry (its file and its comments) or a page, and the site's addresses if it links to them."""
        own = getattr(content, "source_fingerprint", None) or fingerprint(Path(content.source_path).read_bytes())
        linking = SITE_LINK.search(content._content or "") or SITE_LINK.search(content.metadata.get("summary", ""))
        return fingerprint(own, self.site_links(context) if linking else "")

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
    """Pelican's writer; a page kept from the last build is hard-linked into the staging folder.

    A link costs the disk far less than writing the page again. The last
    build's file must never be written through such a link, hence _open_w.
    """

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.cache = _caches[output_path] = PageCache(settings, Path(output_path))
        self.linked: set[str] = set()

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        one_page = not (paginated or {"articles", "dates"} & kwargs.keys()) or \
            template_name not in self.settings["PAGINATED_TEMPLATES"]
        if name and one_page and not override_output:
            # What Pelican's own write_file gives the template, as far as the page's inputs go.
            local = {**context, **kwargs, "output_file": name}
            if relative_urls:
                local["SITEURL"] = path_to_url(get_relative_path(name))
            if self.link_previous_page(name, template, local):
                return
        super().write_file(name, CachedTemplate(template, self.cache), context, relative_urls, paginated,
                           template_name, override_output, url, **kwargs)

    def link_previous_page(self, name: str, template, context: dict) -> bool:
        previous = self.cache.previous_page(name, self.cache.key(template, context))
        path = sanitised_join(self.output_path, name)
        if previous is None or path in self._written_files:
            return False
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            os.link(previous, path)
        except OSError:
            return False  # a disk without hard links: the page is copied instead
        self._written_files.add(path)
        self.linked.add(path)
        self.cache.kept += 1
        signals.content_written.send(path, context=context)
        return True

    def _open_w(self, filename, encoding, override=False):
        if filename in self.linked:  # a page written twice (override): a file of its own, not the link
            self.linked.discard(filename)
            os.unlink(filename)
        return super()._open_w(filename, encoding, override)


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
    reader = fingerprint(code_fingerprint(), json.dumps(settings["MARKDOWN"], sort_keys=True, default=repr))
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
