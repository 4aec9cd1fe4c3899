"""The edited page first: in `invoke livereload`, the page of an entry just saved is served before
the rest of the site is built again.

The preview keeps the entries generator of its last good build: its context, its templates and its
readers. When a save changes only entries and comments, the journal is checked as a build checks
it; if it passes, each changed entry's page is drawn again by the build's own steps (Pelican's
reader and writer, the tags' spelling, the comments) from the file as saved, with the last build's
context. The preview serves those pages from memory until the build that follows is swapped in,
and drops them if that build fails: the served folder is only ever written by whole builds.

What an early page shows of the rest of the journal (previous, next and related entries, its
reading paths) is the last build's; the build that follows draws it again with the journal as it
is now.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from ..build import attach_discussion, comment_drawer, spell_tags
from ..content.as_read import CONTRACTS, as_read, everything_read
from ..content.entries import entries_by_slug
from ..content.headers import Header
from ..content.privacy.journal import BANNERS, scan_journal
from ..content.validation import CheckedContent, check_content
from ..indexes.lessons import entry_lessons
from ..indexes.read_next import NOTHING
from ..settings import CasebookSettings

logger = logging.getLogger(__name__)
CONTRACT = CONTRACTS[ArticlesGenerator]  # what the build's second wall holds an entry to
AT_MOST = 10  # entries drawn first; more (a git checkout, an import) would only delay the build


class EditedFirst:
    """The last good build of one preview, and the pages of changed entries drawn from it."""

    def __init__(self, output: Path):
        self.output = os.path.abspath(output)
        self.last = None  # the entries generator of the last build that succeeded
        self.checked: CheckedContent | None = None  # what the last draw checked
        # The last build's pages of the entries drawn that are elsewhere now (a new date, a draft).
        self.left: list[str] = []
        self.running = None  # the entries generator of the build under way
        signals.article_writer_finalized.connect(self.remember)

    def remember(self, generator, writer) -> None:
        """Connected to `article_writer_finalized`: every entry page of this build is written."""
        if os.path.abspath(generator.settings["OUTPUT_PATH"]) == self.output:
            self.running = generator

    def build_ended(self, problems: str) -> None:
        """A build of the preview has ended: with no problems, its pages are what to draw from."""
        if not problems and self.running is not None:
            self.last = self.running
        self.running = None

    def draw(self, changed: Iterable[Path]) -> dict[str, bytes]:
        """The pages of the entries changed, by their path in the output folder; none when anything
        else changed, or the journal has a problem (the build that follows says which)."""
        generator, self.left = self.last, []
        if generator is None:
            return {}
        settings: CasebookSettings = generator.context["casebook"]
        content = self.checked = check_content(settings)
        entries = changed_entries(changed, content, settings)
        if not entries or len(entries) > AT_MOST or content.problems:
            return {}
        before = {
            entry.slug: entry for entry in everything_read(generator) if isinstance(entry, Article)
        }
        try:
            pages = draw_entries(generator, content, entries, before)
        except Exception:  # a file saved again meanwhile, one Pelican cannot read...
            logger.debug("Not drawn first", exc_info=True)
            return {}  # ...the build that follows meets it, and says what is wrong
        self.left = [
            before[slug].save_as
            for slug in entries
            if slug in before and before[slug].save_as not in pages
        ]
        return pages


def changed_entries(
    changed: Iterable[Path], content: CheckedContent, settings: CasebookSettings
) -> dict[str, Header] | None:
    """The entries whose pages the changed files are drawn from, by slug; None if a changed file
    still there is neither an entry nor a comment (a guide page, people.toml, the theme...)."""
    by_slug = entries_by_slug(content.entries, settings)
    by_path = {os.path.abspath(header.path): slug for slug, header in by_slug.items()}
    comments = os.path.abspath(settings.comments_path)
    slugs = set()
    for path in map(os.path.abspath, changed):
        if path in by_path:
            slugs.add(by_path[path])
        elif path.startswith(comments + os.sep) and path.endswith(".md"):
            slugs.add(Path(path).relative_to(comments).parts[0])  # its folder: its entry's slug
        elif os.path.exists(path):
            return None
        # Else it is gone: a removed entry, whose page goes with the build that follows, or a file
        # written and then renamed over an entry (many editors save so, and the writing desk).
    return {slug: by_slug[slug] for slug in slugs if slug in by_slug}


def draw_entries(
    generator, content: CheckedContent, changed: dict[str, Header], drawn_before: dict
) -> dict[str, bytes]:
    """The pages of the changed entries; `drawn_before`: the last build's entries, by slug."""
    settings: CasebookSettings = generator.context["casebook"]
    render = comment_drawer(generator, content)
    context = {**generator.context, BANNERS: privacy_banners(generator, content, changed)}
    pages = {}
    with tempfile.TemporaryDirectory(prefix="casebook-early-") as folder:
        writer = Writer(folder, settings=generator.settings)
        for slug, header in changed.items():
            entry = read_entry(generator, header.path)
            if entry.source_digest != header.digest or as_read(entry, *CONTRACT):
                return {}  # saved again since the check, or refused by the build's second wall
            spell_tags(entry, content.tag_spelling, generator.settings)
            attach_discussion(entry, content, render, settings.timezone)
            entry.indexed_lessons = entry_lessons(entry)
            place_as_before(entry, drawn_before.get(slug))
            write_entry(generator, writer, context, entry)
            pages[entry.save_as] = (Path(folder) / entry.save_as).read_bytes()
    return pages


def read_entry(generator, path: Path) -> Article:
    """The entry as the build reads it (ArticlesGenerator.generate_context)."""
    return generator.readers.read_file(
        base_path=generator.path,
        path=os.path.relpath(path, generator.path),
        content_class=Article,
        context=generator.context,
        preread_signal=signals.article_generator_preread,
        preread_sender=generator,
        context_signal=signals.article_generator_context,
        context_sender=generator,
    )


def place_as_before(entry, before) -> None:
    """Where the entry stood in the last build: its reading paths, and what to read next."""
    entry.reading_places = getattr(before, "reading_places", [])
    published = entry.status == "published" and getattr(before, "status", "") == "published"
    entry.read_next = before.read_next if published else NOTHING


def privacy_banners(generator, content: CheckedContent, changed: dict[str, Header]) -> dict:
    """What the entries' pages show of the privacy scan: the last build's, and these entries' and
    their comments' as they are now."""
    settings: CasebookSettings = generator.context["casebook"]
    banners = dict(generator.context[BANNERS])
    if not settings.privacy_banner:
        return banners
    for header in changed.values():
        banners.pop(str(header.path), None)
    these = replace(
        content,
        entries=list(changed.values()),
        comments={slug: content.comments.get(slug, []) for slug in changed},
        pages=[],
    )
    return banners | scan_journal(settings, these).by_entry


def write_entry(generator, writer: Writer, context: dict, entry: Article) -> None:
    """As ArticlesGenerator.generate_articles (or generate_drafts) writes it."""
    drafts = {"all_articles": generator.articles} if entry.status == "draft" else {}
    writer.write_file(
        entry.save_as,
        generator.get_template(entry.template),
        context,
        relative_urls=generator.settings["RELATIVE_URLS"],
        article=entry,
        category=getattr(entry, "category", None),
        override_output=hasattr(entry, "override_save_as"),
        url=entry.url,
        blog=True,
        **drafts,
    )
