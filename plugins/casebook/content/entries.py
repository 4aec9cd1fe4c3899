"""Entry files (content/entries/): the rules of the entry contract."""

from __future__ import annotations

import difflib
from collections import defaultdict

from pelican.utils import slugify

from ..problems import Problem, display_path
from ..settings import CasebookSettings
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
    channel, slug, status = header.value("channel"), header.value("slug"), header.value("status")
    if channel and channel not in settings.channels:
        close = difflib.get_close_matches(channel.lower(), settings.channels, n=1)
        hint = f' Did you mean "{close[0]}"?' if close else ""
        problems.append(Problem(path, header.line("channel"), f'Channel "{channel}" is not one we know.{hint} '
                                f"Use one of: {', '.join(settings.channels)}."))
    if slug and not SLUG_FORMAT.match(slug):
        problems.append(Problem(path, header.line("slug"), f'Slug "{slug}" can only hold lower-case '
                                f'letters, digits and hyphens, for example "{slug_for(slug, settings)}".'))
    if status and status not in STATUSES:
        problems.append(Problem(path, header.line("status"), f'Status "{status}" is not one we know. '
                                'Write "Status: draft" to keep the entry unpublished, or remove the line.'))
    return problems


def slug_for(title: str, settings: CasebookSettings) -> str:
    """The slug Pelican gives an entry with this title and no Slug field."""
    return slugify(title, regex_subs=settings.slug_substitutions)


def entry_slug(header: Header, settings: CasebookSettings) -> str:
    return header.value("slug") or slug_for(header.value("title"), settings)


def has_address(header: Header) -> bool:
    return bool(header.value("title") or header.value("slug"))


def entries_by_slug(headers: list[Header], settings: CasebookSettings) -> dict[str, Header]:
    return {entry_slug(header, settings): header for header in headers if has_address(header)}


def duplicate_slugs(headers: list[Header], settings: CasebookSettings) -> list[Problem]:
    by_slug: dict[str, list[Header]] = defaultdict(list)
    for header in headers:
        if has_address(header):
            by_slug[entry_slug(header, settings)].append(header)
    problems = []
    for slug, same in by_slug.items():
        for header in same if len(same) > 1 else []:
            others = ", ".join(display_path(other.path) for other in same if other is not header)
            problems.append(Problem(header.path, header.line("slug") or header.line("title"),
                                    f'Another entry has the same address "{slug}": {others}. '
                                    'Change one title, or give one entry its own "Slug: ..." line.'))
    return problems
