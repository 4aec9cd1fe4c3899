"""The plugin's steps in a Pelican build, in the order Pelican runs them."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.readers import MarkdownReader
from pelican.utils import set_date_tzinfo

from .comments import discussion
from .feeds import write_endorsement_feed
from .problems import ContentError
from .sanitise import clean_html
from .settings import CasebookSettings
from .validation import check_content

logger = logging.getLogger(__name__)

CHECKED = "casebook_checked_content"  # context key: from the check to the steps after reading


def check_before_reading(generator) -> None:
    """Stop the build, before anything is read or written, if the content has mistakes."""
    settings = CasebookSettings.from_pelican(generator.settings)
    content = check_content(settings)
    for warning in content.warnings:
        logger.warning("%s", warning)
    if content.problems:
        raise ContentError(content.problems, settings.output_path)
    # The context is shared by every generator and template of this run.
    generator.context.update({CHECKED: content, "casebook": settings, "people": content.roster.people})


def attach_discussions(generator) -> None:
    """Give every entry its comment threads and endorsements, once Pelican has read them."""
    content = generator.context[CHECKED]
    settings: CasebookSettings = generator.context["casebook"]
    reader = MarkdownReader(generator.settings)

    def render(path: Path) -> str:
        return clean_html(reader.read(str(path))[0])

    def localise(date):
        return set_date_tzinfo(date, settings.timezone)

    for entry in generator.articles + generator.drafts:
        entry.discussion = discussion(content.comments.get(entry.slug, []), content.roster, render, localise)
    generator.context["endorsed_entries"] = sorted(
        (entry for entry in generator.articles if entry.discussion.endorsements),
        key=lambda entry: entry.discussion.last_endorsed, reverse=True,
    )


def write_endorsed_page_and_feed(generator, writer) -> None:
    settings: CasebookSettings = generator.context["casebook"]
    endorsed = generator.context["endorsed_entries"]
    writer.write_file(settings.endorsed_save_as, generator.get_template("endorsed"), generator.context,
                      relative_urls=generator.settings["RELATIVE_URLS"], url=settings.endorsed_url,
                      page_name=settings.endorsed_url.strip("/"))
    write_endorsement_feed(Path(writer.output_path) / settings.endorsed_feed, endorsed,
                           site_url=settings.feed_domain, site_name=generator.settings["SITENAME"],
                           feed_url=f"{settings.feed_domain}/{settings.endorsed_feed}")
