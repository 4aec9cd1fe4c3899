"""The plugin's steps in a Pelican build, in the order Pelican runs them."""

from __future__ import annotations

import datetime
import gc
import logging
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.urlwrappers import Tag
from pelican.utils import set_date_tzinfo

from .content.as_read import everything_read
from .content.comments import discussion
from .content.validation import CheckedContent, check_content
from .indexes.feeds import write_endorsement_feed, write_review_feed
from .indexes.insights import insights
from .indexes.lessons import entry_lessons, group_by_tag, write_export
from .indexes.paths import path_pages, place_entries
from .indexes.read_next import NOTHING, place_read_next
from .indexes.review import review_queue, write_count_style
from .indexes.words import entry_words, vocabulary, write_vocabulary
from .page_cache.fingerprints import fingerprint
from .problems import ContentChanged, ContentError, Problem
from .rendering.comment_markdown import CommentRenderer
from .seams import forget_read_content, keep_addresses, markdown_reader
from .settings import CasebookSettings, unknown_settings

logger = logging.getLogger(__name__)

CHECKED = "casebook_checked_content"  # context key: from the check to the steps after reading
# context key: the second process converting entries and comments (rendering/ahead.py)
AHEAD = "casebook_ahead"
SEARCH_WORDS = "search/words.json"  # the archive's "did you mean" vocabulary (indexes/words.py)


# Python's cycle collector walks every tracked object on each full pass. A build holds hundreds of
# thousands of long-lived ones (the entries read, Pelican's cache), and makes little cyclic garbage:
# at the default thresholds (700, 10, 10) collecting took a fifth of a 5,000-entry rebuild's CPU.
COLLECTION_THRESHOLDS = (100_000, 50, 100)


def collect_less(pelican) -> None:
    """Connected to `initialized`: the cycle collector runs less often (see above)."""
    gc.set_threshold(*COLLECTION_THRESHOLDS)


def check_before_reading(generator) -> None:
    """Stop the build, before anything is read or written, if the content has mistakes."""
    settings = CasebookSettings.from_pelican(generator.settings)
    for unknown in unknown_settings(generator.settings):
        logger.warning("%s", unknown)
    content = check_content(settings)
    for warning in content.warnings:
        logger.warning("%s", warning)
    if content.problems:
        raise ContentError(content.problems, settings.output_path)
    # The context is shared by every generator and template of this run.
    generator.context.update(
        {CHECKED: content, "casebook": settings, "people": content.roster.people}
    )


def verify_entries_read(generator) -> None:
    """Connected to `article_generator_pretaxonomy`: what Pelican read must be what was checked.

    An entry saved again during the build was read unchecked (or Pelican's cache
    holds another version of it): the build stops before the cache is saved.
    """
    content: CheckedContent = generator.context[CHECKED]
    read = {entry.source_path: entry.source_digest for entry in everything_read(generator)}
    changed = [
        header.path
        for header in content.entries
        if read.get(str(header.path), header.digest) != header.digest
    ]  # a file not read: refuse_unread_files
    if changed:
        forget_read_content(generator.settings)
        raise ContentChanged(changed, generator.settings)


def spell_tags_alike(generator) -> None:
    """Connected to `article_generator_pretaxonomy`: each tag shown with one spelling
    (content/tags.py),
    before Pelican gathers the tag pages."""
    spelling = generator.context[CHECKED].tag_spelling
    for entry in everything_read(generator):
        spell_tags(entry, spelling, generator.settings)


def spell_tags(entry, spelling: dict[str, str], settings: dict) -> None:
    if getattr(entry, "tags", None):
        entry.tags = [
            Tag(spelling[tag.slug], settings)
            if spelling.get(tag.slug, tag.name) != tag.name
            else tag
            for tag in entry.tags
        ]


def refuse_unread_files(generators) -> None:
    """Connected to `all_generators_finalized`: a file Pelican could not read fails the build.

    Pelican logs "Could not process" and goes on without the file; the entry
    would be missing from the site, and from a publish, with exit status 0.
    """
    failures = {}
    for generator in generators:
        reader = markdown_reader(generator)
        failures.update(getattr(reader, "failures", {}))
    base = Path(generators[0].settings["PATH"])
    unread = [
        base / name
        for name, content in generators[0].context["generated_content"].items()
        if content is None
    ]
    if unread:
        raise ContentError(
            [could_not_read(path, failures.get(str(path))) for path in unread],
            Path(generators[0].settings["OUTPUT_PATH"]),
        )


def could_not_read(path: Path, reason: str | None) -> Problem:
    why = f" ({reason})" if reason else ""
    return Problem(
        path,
        None,
        f"Pelican could not read this file{why}, so it would be missing from the site. "
        "Look for unusual formatting (very deep lists or quotes, stray HTML) and simplify it; "
        "`invoke build -- --debug` shows the details.",
    )


def settle_addresses(generator) -> None:
    """Connected to `article_generator_finalized` (first) and `page_generator_finalized`: each
    entry's and guide page's address, worked out once (seams.py, seam 14)."""
    keep_addresses(everything_read(generator))


def index_reading_paths(generator) -> None:
    """Each reading path with its entries; each entry with the paths it is in (before
    attach_discussions,
    which lets the checked content go)."""
    content: CheckedContent = generator.context[CHECKED]
    settings: CasebookSettings = generator.context["casebook"]
    pages = path_pages(content.paths, generator.articles, settings.paths_url)
    place_entries(pages, everything_read(generator))
    generator.context["reading_paths"] = pages


def attach_discussions(generator) -> None:
    """Give every entry its comment threads and endorsements, once Pelican has read them."""
    content: CheckedContent = generator.context.pop(
        CHECKED
    )  # not needed after this step: let it go
    settings: CasebookSettings = generator.context["casebook"]
    render = comment_drawer(generator, content)
    for entry in generator.articles + generator.drafts:
        attach_discussion(entry, content, render, settings.timezone)
    generator.context["endorsed_entries"] = sorted(
        (entry for entry in generator.articles if entry.discussion.endorsements),
        key=lambda entry: entry.discussion.last_endorsed,
        reverse=True,
    )


def comment_drawer(generator, content: CheckedContent) -> Callable[[Path], str]:
    """A comment file's HTML, refused if it is not the file the check read."""
    renderer = CommentRenderer(generator.settings)
    ahead = generator.context.get(AHEAD)  # a second process may have converted it already
    checked = {
        header.path: header.digest for headers in content.comments.values() for header in headers
    }

    def render(path: Path) -> str:
        html, digest = (ahead.take(path) if ahead else None) or renderer(path)
        if digest != checked[path]:  # saved again since the check: drawing it would publish it
            raise ContentChanged([path], generator.settings)
        return html

    return render


def attach_discussion(
    entry, content: CheckedContent, render: Callable[[Path], str], timezone: str
) -> None:
    """One entry's comment threads and endorsements, and what its page is drawn from."""
    comments = content.comments.get(entry.slug, [])
    entry.discussion = discussion(
        comments, content.roster, render, lambda date: set_date_tzinfo(date, timezone)
    )
    # What the entry's page is drawn from: its file and its comments (see page_cache/).
    entry.source_fingerprint = fingerprint(
        entry.source_digest,
        *sorted(comment.digest for comment in comments),
        *(tag.name for tag in getattr(entry, "tags", [])),
    )  # as shown


def index_lessons(generator) -> None:
    """Gather the published entries' lessons by tag; point out entries that have none."""
    for entry in generator.articles:
        entry.indexed_lessons = entry_lessons(entry)
        if not entry.indexed_lessons:
            logger.warning(
                "%s",
                Problem(
                    Path(entry.source_path),
                    None,
                    'This entry has no "Lessons learned" '
                    "section. Add one, with a list of what the next person should "
                    "know, so it joins the lessons index.",
                ),
            )
    groups = group_by_tag(generator.articles)
    generator.context["lesson_groups"] = groups
    generator.context["lessons_by_tag"] = {group.name: group for group in groups}


def index_read_next(generator) -> None:
    """Previous, next and related entries for each published entry, and the search's vocabulary,
    from one count of each entry's words. A draft's preview shows none: no entry points at it."""
    for entry in everything_read(generator):  # drafts, hidden entries, translations: nothing
        entry.read_next = NOTHING
    words = {entry.slug: entry_words(entry) for entry in generator.articles}
    place_read_next(generator.articles, words)
    generator.context["search_words"] = vocabulary(words.values())


def write_index_pages(generator, writer) -> None:
    """The pages that gather all entries (Endorsed, Lessons learned), their feed and export,
    robots.txt."""
    settings: CasebookSettings = generator.context["casebook"]
    context = generator.context
    groups = context["lesson_groups"]
    pages = [
        ("endorsed", settings.endorsed_url, {}),
        ("lessons", settings.lessons_url, {"groups": groups, "endorsed_only": False}),
        (
            "lessons",
            settings.endorsed_lessons_url,
            {
                "groups": [g for g in (group.endorsed_only() for group in groups) if g.lessons],
                "endorsed_only": True,
            },
        ),
    ]
    for template, url, extra in pages:
        write_page(generator, writer, template, url, **extra)
    output = Path(writer.output_path)
    write_endorsement_feed(
        output / settings.endorsed_feed,
        context["endorsed_entries"],
        site_url=settings.feed_domain,
        site_name=generator.settings["SITENAME"],
        page_url=f"{settings.feed_domain}/{settings.endorsed_url}",
        feed_url=f"{settings.feed_domain}/{settings.endorsed_feed}",
        max_items=generator.settings["FEED_MAX_ITEMS"],
    )
    write_export(output / settings.lessons_export, generator.articles, settings.feed_domain)
    write_vocabulary(output / SEARCH_WORDS, context["search_words"])
    if settings.noindex:  # an internal site: no search engine should list it
        (output / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")


def write_page(generator, writer, template: str, url: str, **extra) -> None:
    writer.write_file(
        f"{url}index.html",
        generator.get_template(template),
        generator.context,
        relative_urls=generator.settings["RELATIVE_URLS"],
        url=url,
        page_name=url.strip("/"),
        **extra,
    )


def write_supervision_pages(generator, writer) -> None:
    """The pages for supervisors and trainers."""
    write_review_queue(generator, writer)
    write_insights(generator, writer)
    write_reading_paths(generator, writer)


def write_review_queue(generator, writer) -> None:
    """/review/, its Atom feed, and (in the local preview) its count for the header."""
    settings: CasebookSettings = generator.context["casebook"]
    output = Path(writer.output_path)
    today = datetime.datetime.now(ZoneInfo(settings.timezone)).date()
    queue = review_queue(generator.articles, today)
    write_page(generator, writer, "review", settings.review_url, queue=queue, today=today)
    write_review_feed(
        output / settings.review_feed,
        queue,
        site_url=settings.feed_domain,
        site_name=generator.settings["SITENAME"],
        review_url=settings.review_url,
        feed_url=f"{settings.feed_domain}/{settings.review_feed}",
        max_items=generator.settings["FEED_MAX_ITEMS"],
    )
    if settings.review_count:
        write_count_style(output / settings.review_count_style, len(queue))


def write_insights(generator, writer) -> None:
    settings: CasebookSettings = generator.context["casebook"]
    write_page(
        generator,
        writer,
        "insights",
        settings.insights_url,
        figures=insights(generator.articles, settings.channels),
    )


def write_reading_paths(generator, writer) -> None:
    """/paths/, and each path's page and handout."""
    paths = generator.context["reading_paths"]
    write_page(
        generator, writer, "paths", generator.context["casebook"].paths_url, reading_paths=paths
    )
    for path in paths:
        write_page(generator, writer, "path", path.url, reading_path=path)
        write_page(generator, writer, "path_handout", path.handout_url, reading_path=path)
