"""Start a new entry file from the command line (`invoke new`)."""

from __future__ import annotations

import datetime
from pathlib import Path

from .entries import entry_slug, slug_for
from .people import load_roster
from .problems import UserError, display_path
from .settings import CasebookSettings
from .validation import check_content

SECTIONS = ("What happened", "What I did", "Lessons learned")


class RefusedError(UserError):
    """`invoke new` will not write the file; the message says why."""


def new_entry(settings: CasebookSettings, title: str, author: str, tags: str = "",
              channel: str = "", now: datetime.datetime | None = None) -> Path:
    """Write a new entry with today's date and the usual sections; return its path."""
    now = now or datetime.datetime.now()
    title = " ".join(title.split())
    if not title:
        raise RefusedError('Give the entry a title: invoke new "What the call was about" --author "Your Name"')
    check_author(settings, author)
    if channel and channel not in settings.channels:
        raise RefusedError(f'Channel "{channel}" is not one we know. Use one of: {", ".join(settings.channels)}.')
    slug = slug_for(title, settings)
    check_slug_is_free(settings, slug)
    path = settings.content_path / settings.entry_paths[0] / f"{now:%Y}" / f"{now:%Y-%m-%d}-{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never overwrite
            file.write(entry_text(title, author, tags, channel, now))
    except FileExistsError:
        raise RefusedError(f"{display_path(path)} already exists; it was left as it is. "
                           "Choose another title, or edit that file.") from None
    return path


def check_author(settings: CasebookSettings, author: str) -> None:
    roster, problems = load_roster(settings.people_file)
    if problems:
        raise RefusedError("The roster has problems; fix them first:\n"
                           + "\n".join(f"  {problem}" for problem in problems))
    if author not in roster:
        names = ", ".join(sorted(roster.people))
        raise RefusedError(f'"{author}" is not on the roster ({display_path(roster.path)}). '
                           f"Use one of: {names}; or add the person to the roster first.")


def check_slug_is_free(settings: CasebookSettings, slug: str) -> None:
    for header in check_content(settings).entries:
        if header.value("title") and entry_slug(header, settings) == slug:
            raise RefusedError(f'{display_path(header.path)} already has the address "{slug}". '
                               "Choose a different title.")


def entry_text(title: str, author: str, tags: str, channel: str, now: datetime.datetime) -> str:
    header = [f"Title: {title}", f"Date: {now:%Y-%m-%d %H:%M}", f"Author: {author}"]
    tag_list = [tag.strip() for tag in tags.split(",") if tag.strip()]
    if tag_list:
        header.append(f"Tags: {', '.join(tag_list)}")
    if channel:
        header.append(f"Channel: {channel}")
    body = "\n\n".join(f"## {section}\n" for section in SECTIONS)
    return "\n".join(header) + "\n\n" + body
