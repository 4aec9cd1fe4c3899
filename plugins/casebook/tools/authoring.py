"""Start a new entry or comment file from the command line (`invoke new`, `invoke comment`)."""

from __future__ import annotations

import datetime
from pathlib import Path

from ..content.comments import check_comment_files
from ..content.entries import check_entry, entries_by_slug, slug_for
from ..content.headers import Header, parse_header
from ..content.people import Roster, load_roster
from ..content.tags import as_spelt, read_tags
from ..content.validation import CheckedContent, check_content
from ..problems import Problem, UserError, display_path
from ..settings import CasebookSettings

SECTIONS = ("What happened", "What I did", "Lessons learned")


class RefusedError(UserError):
    """`invoke new` or `invoke comment` will not write the file; the message says why."""


def new_entry(
    settings: CasebookSettings,
    title: str,
    author: str,
    tags: str = "",
    channel: str = "",
    now: datetime.datetime | None = None,
) -> Path:
    """Write a new entry with today's date and the usual sections; return its path."""
    now = now or datetime.datetime.now()
    title = " ".join(title.split())
    if not title:
        raise RefusedError(
            'Give the entry a title: invoke new "What the call was about" --author "Your Name"'
        )
    roster = sound_roster(settings)
    require_author(roster, author)
    slug = slug_for(title, settings)
    path = entry_path(settings, slug, now)
    content = check_content(settings)
    tags = ", ".join(
        as_spelt(tag.strip(), content.tag_spelling, settings)
        for tag in tags.split(",")
        if tag.strip()
    )
    text = entry_text(title, author, tags, channel, now)
    refusals = [problem.message for problem in entry_problems(settings, content, path, text)[0]]
    if refusals:
        raise RefusedError(
            "The entry was not written:\n" + "\n".join(f"  {reason}" for reason in refusals)
        )
    check_slug_is_free(content.entries, settings, slug)
    write_new_file(path, text)
    return path


def new_comment(
    settings: CasebookSettings,
    entry: str,
    author: str,
    endorse: bool = False,
    reply_to: str = "",
    now: datetime.datetime | None = None,
) -> Path:
    """Write a new comment on an entry, refusing exactly what the build would refuse."""
    now = now or datetime.datetime.now()
    require_author(sound_roster(settings), author)
    content = check_content(settings)
    path = comment_path(settings, entry, author, now)
    text = file_text(
        {
            "author": author,
            "date": date_text(now),
            "endorsement": "yes" if endorse else "",
            "replyto": reply_to,
        }
    )
    refusals = [
        problem.message for problem in comment_problems(settings, content, entry, path, text)
    ]
    if refusals:
        raise RefusedError(
            "The comment was not written:\n" + "\n".join(f"  {reason}" for reason in refusals)
        )
    write_new_file(path, text)
    return path


def entry_problems(
    settings: CasebookSettings, content: CheckedContent, path: Path, text: str
) -> tuple[list[Problem], list[Problem]]:
    """The build's own entry rules on a would-be entry file beside the other entries: what it
    refuses, and what it warns about (a tag written another way than the journal writes it)."""
    header, problems = parse_header(path, text)
    others = [entry for entry in content.entries if entry.path != path]  # an edit replaces it
    tags = read_tags([*others, header], settings)
    problems += check_entry(header, content.roster, settings) + tags.problems
    return (
        [problem for problem in problems if problem.path == path],
        [warning for warning in tags.warnings if warning.path == path],
    )


def comment_problems(
    settings: CasebookSettings, content: CheckedContent, entry: str, path: Path, text: str
) -> list[Problem]:
    """The build's own comment rules on a would-be comment file beside the entry's comments."""
    header, problems = parse_header(path, text)
    beside = content.comments.get(entry, [])
    entries = entries_by_slug(content.entries, settings)
    problems += check_comment_files([*beside, header], entry, entries, content.roster)
    return [problem for problem in problems if problem.path == path]


def entry_path(settings: CasebookSettings, slug: str, date: datetime.datetime) -> Path:
    return (
        settings.content_path
        / settings.entry_paths[0]
        / f"{date:%Y}"
        / f"{date:%Y-%m-%d}-{slug}.md"
    )


def comment_path(
    settings: CasebookSettings, entry: str, author: str, date: datetime.datetime
) -> Path:
    return settings.comments_path / entry / f"{date:%Y-%m-%d-%H%M}-{slug_for(author, settings)}.md"


def date_text(date: datetime.datetime) -> str:
    return f"{date:%Y-%m-%d %H:%M}"


def file_text(fields: dict[str, str], body: str = "") -> str:
    """A content file as the tasks write it: a `Field: value` line per field that has a value, a
    blank line,
    then the body."""
    return (
        "".join(f"{name.title()}: {value}\n" for name, value in fields.items() if value)
        + "\n"
        + body
    )


def write_new_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never overwrite
            file.write(text)
    except FileExistsError:
        raise RefusedError(f"{display_path(path)} already exists; it was left as it is.") from None


def sound_roster(settings: CasebookSettings) -> Roster:
    """The roster, once it has no problems."""
    roster, problems = load_roster(settings)
    if problems:
        raise RefusedError(
            "The roster has problems; fix them first:\n"
            + "\n".join(f"  {problem}" for problem in problems)
        )
    return roster


def require_author(roster: Roster, author: str) -> None:
    """An author must be given (whether the roster lists them, the file's own check says, with a
    suggestion)."""
    if not author.strip():
        raise RefusedError(
            f'Say who you are with --author "Your Name", written as in '
            f"{display_path(roster.path)}: {', '.join(sorted(roster.people))}."
        )


def check_slug_is_free(entries: list[Header], settings: CasebookSettings, slug: str) -> None:
    taken = entries_by_slug(entries, settings).get(slug)
    if taken:
        raise RefusedError(
            f'{display_path(taken.path)} already has the address "{slug}". Choose a different '
            "title."
        )


def entry_text(title: str, author: str, tags: str, channel: str, now: datetime.datetime) -> str:
    tag_list = [tag.strip() for tag in tags.split(",") if tag.strip()]
    fields = {
        "title": title,
        "date": date_text(now),
        "author": author,
        "tags": ", ".join(tag_list),
        "channel": channel,
    }
    return file_text(fields, starting_text())


def starting_text() -> str:
    """A new entry's text: the three headings, to write under."""
    return "\n\n".join(f"## {section}\n" for section in SECTIONS)
