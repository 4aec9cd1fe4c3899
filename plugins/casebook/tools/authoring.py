"""Start a new entry or comment file from the command line (`invoke new`, `invoke comment`)."""

from __future__ import annotations

import datetime
from pathlib import Path

from ..content.comments import check_comment_files
from ..content.entries import check_entry, entries_by_slug, shared_tag_pages, slug_for
from ..content.headers import Header, parse_header
from ..content.people import Roster, load_roster
from ..content.validation import check_content
from ..problems import UserError, display_path
from ..settings import CasebookSettings

SECTIONS = ("What happened", "What I did", "Lessons learned")


class RefusedError(UserError):
    """`invoke new` or `invoke comment` will not write the file; the message says why."""


def new_entry(settings: CasebookSettings, title: str, author: str, tags: str = "",
              channel: str = "", now: datetime.datetime | None = None) -> Path:
    """Write a new entry with today's date and the usual sections; return its path."""
    now = now or datetime.datetime.now()
    title = " ".join(title.split())
    if not title:
        raise RefusedError('Give the entry a title: invoke new "What the call was about" --author "Your Name"')
    roster = sound_roster(settings, author)
    slug = slug_for(title, settings)
    path = settings.content_path / settings.entry_paths[0] / f"{now:%Y}" / f"{now:%Y-%m-%d}-{slug}.md"
    text = entry_text(title, author, tags, channel, now)
    # The build's own entry rules, on the file about to be written, beside the entries there are.
    header, problems = parse_header(path, text)
    others = check_content(settings).entries
    problems += check_entry(header, roster, settings) + shared_tag_pages([*others, header], settings)
    refusals = [problem.message for problem in problems if problem.path == path]
    if refusals:
        raise RefusedError("The entry was not written:\n" + "\n".join(f"  {reason}" for reason in refusals))
    check_slug_is_free(others, settings, slug)
    write_new_file(path, text)
    return path


def new_comment(settings: CasebookSettings, entry: str, author: str, endorse: bool = False,
                reply_to: str = "", now: datetime.datetime | None = None) -> Path:
    """Write a new comment on an entry, refusing exactly what the build would refuse."""
    now = now or datetime.datetime.now()
    sound_roster(settings, author)
    content = check_content(settings)
    path = settings.comments_path / entry / f"{now:%Y-%m-%d-%H%M}-{slug_for(author, settings)}.md"
    fields = {"author": author, "date": f"{now:%Y-%m-%d %H:%M}"}
    if endorse:
        fields["endorsement"] = "yes"
    if reply_to:
        fields["replyto"] = reply_to
    text = "".join(f"{name.title()}: {value}\n" for name, value in fields.items()) + "\n"
    header, problems = parse_header(path, text)
    beside = content.comments.get(entry, [])
    entries = entries_by_slug(content.entries, settings)
    problems += check_comment_files([*beside, header], entry, entries, content.roster)
    refusals = [problem.message for problem in problems if problem.path == path]
    if refusals:
        raise RefusedError("The comment was not written:\n" + "\n".join(f"  {reason}" for reason in refusals))
    write_new_file(path, text)
    return path


def write_new_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never overwrite
            file.write(text)
    except FileExistsError:
        raise RefusedError(f"{display_path(path)} already exists; it was left as it is.") from None


def sound_roster(settings: CasebookSettings, author: str) -> Roster:
    """The roster, once it is sound and an author is given (whether it lists the author, the file's check says)."""
    roster, problems = load_roster(settings)
    if problems:
        raise RefusedError("The roster has problems; fix them first:\n"
                           + "\n".join(f"  {problem}" for problem in problems))
    if not author.strip():
        raise RefusedError(f'Say who you are with --author "Your Name", written as in '
                           f"{display_path(roster.path)}: {', '.join(sorted(roster.people))}.")
    return roster


def check_slug_is_free(entries: list[Header], settings: CasebookSettings, slug: str) -> None:
    taken = entries_by_slug(entries, settings).get(slug)
    if taken:
        raise RefusedError(f'{display_path(taken.path)} already has the address "{slug}". Choose a different title.')


def entry_text(title: str, author: str, tags: str, channel: str, now: datetime.datetime) -> str:
    header = [f"Title: {title}", f"Date: {now:%Y-%m-%d %H:%M}", f"Author: {author}"]
    tag_list = [tag.strip() for tag in tags.split(",") if tag.strip()]
    if tag_list:
        header.append(f"Tags: {', '.join(tag_list)}")
    if channel:
        header.append(f"Channel: {channel}")
    body = "\n\n".join(f"## {section}\n" for section in SECTIONS)
    return "\n".join(header) + "\n\n" + body
