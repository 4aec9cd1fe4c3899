"""Entry files (content/entries/): the rules of the entry contract."""

from __future__ import annotations

import difflib
from collections import defaultdict

from pelican.readers import ensure_metadata_list

from ..problems import Problem, display_path
from ..settings import CasebookSettings
from .addresses import make_slug, unusable
from .headers import SLUG_FORMAT, Header, check_author, check_date, check_fields
from .people import Roster

REQUIRED_FIELDS = ("title", "date", "author")
OPTIONAL_FIELDS = ("tags", "summary", "channel", "slug", "status")
STATUSES = ("published", "draft")


def check_entry(header: Header, roster: Roster | None, settings: CasebookSettings) -> list[Problem]:
    """Problems with one entry's fields; `roster` is None when it could not be read."""
    path = header.path
    problems = check_fields(header, "entry", REQUIRED_FIELDS, OPTIONAL_FIELDS)
    problems += check_date(header) + check_author(header, roster)
    channel, status = header.value("channel"), header.value("status")
    if channel and channel not in settings.channels:
        close = difflib.get_close_matches(channel.lower(), settings.channels, n=1)
        hint = f' Did you mean "{close[0]}"?' if close else ""
        problems.append(
            Problem(
                path,
                header.line("channel"),
                f'Channel "{channel}" is not one we know.{hint} '
                f"Use one of: {', '.join(settings.channels)}.",
            )
        )
    if status and status not in STATUSES:
        problems.append(
            Problem(
                path,
                header.line("status"),
                f'Status "{status}" is not one we know. '
                'Write "Status: draft" to keep the entry unpublished, or remove the line.',
            )
        )
    problems += check_address(header, settings)
    for tag in tag_names(header):
        if trouble := unusable(make_slug(tag, settings.tag_substitutions)):
            problems.append(
                Problem(
                    path,
                    header.line("tags"),
                    f'The tag "{tag}" {trouble}. Write each tag '
                    "as a word or a few, with letters or digits.",
                )
            )
    return problems


def check_address(header: Header, settings: CasebookSettings) -> list[Problem]:
    """An entry's or a guide page's address, its Slug or else made from its title, must be
    usable."""
    slug, title = header.value("slug"), header.value("title")
    if slug and not SLUG_FORMAT.match(slug):
        example = slug_for(slug, settings)
        return [
            Problem(
                header.path,
                header.line("slug"),
                f'Slug "{slug}" can only hold lower-case '
                f'letters, digits and hyphens, for example "{example}".',
            )
        ]
    if slug and (trouble := unusable(slug)):
        return [Problem(header.path, header.line("slug"), f"The Slug {trouble}. Shorten it.")]
    if title and not slug and (trouble := unusable(slug_for(title, settings))):
        return [
            Problem(
                header.path,
                header.line("title"),
                f'The title "{title}" {trouble}. Add a line '
                '"Slug: ..." with a short address of lower-case letters, digits and hyphens, such '
                "as refund-by-friday.",
            )
        ]
    return []


def slug_for(title: str, settings: CasebookSettings) -> str:
    """The slug Pelican gives an entry with this title and no Slug field."""
    return make_slug(title, settings.slug_substitutions)


def tag_names(header: Header) -> list[str]:
    """An entry's tags, split as Pelican splits them (on semicolons if there are any, else on
    commas)."""
    return ensure_metadata_list(header.value("tags"))


def entry_slug(header: Header, settings: CasebookSettings) -> str:
    return header.value("slug") or slug_for(header.value("title"), settings)


def has_address(header: Header) -> bool:
    return bool(header.value("title") or header.value("slug"))


def entries_by_slug(headers: list[Header], settings: CasebookSettings) -> dict[str, Header]:
    return {entry_slug(header, settings): header for header in headers if has_address(header)}


def duplicate_slugs(
    headers: list[Header], settings: CasebookSettings, kind: str = "entry"
) -> list[Problem]:
    by_slug: dict[str, list[Header]] = defaultdict(list)
    for header in headers:
        if has_address(header):
            by_slug[entry_slug(header, settings)].append(header)
    problems = []
    for slug, same in by_slug.items():
        for header in same if len(same) > 1 else []:
            others = ", ".join(display_path(other.path) for other in same if other is not header)
            problems.append(
                Problem(
                    header.path,
                    header.line("slug") or header.line("title"),
                    f'Another {kind} has the same address "{slug}": {others}. '
                    f'Change one title, or give one {kind} its own "Slug: ..." line.',
                )
            )
    return problems
