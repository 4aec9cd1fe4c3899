"""Check all the content at once, before anything is built."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..problems import Problem
from ..settings import CasebookSettings
from .comments import check_comment_files, group_by_folder
from .entries import check_entry, duplicate_slugs, entries_by_slug
from .headers import Header, content_files, read_header
from .paths import ReadingPath, check_paths
from .people import Roster, load_roster


@dataclass(frozen=True)
class CheckedContent:
    roster: Roster
    entries: list[Header]
    comments: dict[str, list[Header]]  # by the slug of their entry
    problems: list[Problem]
    warnings: list[Problem]
    paths: list[ReadingPath] = field(default_factory=list)  # the trainers' reading paths


def check_content(settings: CasebookSettings) -> CheckedContent:
    roster, problems = load_roster(settings.people_file)
    # With no readable roster, every author would be "unknown": say it once.
    usable_roster = roster if roster.names or not problems else None
    warnings: list[Problem] = []

    entries = read_headers(entry_files(settings), "an entry", problems, warnings)
    for header in entries:
        problems += check_entry(header, usable_roster, settings)
    problems += duplicate_slugs(entries, settings)

    in_folders, misplaced = [], []
    for path in content_files(settings.comments_path, settings.ignored_names):
        (in_folders if len(path.relative_to(settings.comments_path).parts) == 2 else misplaced).append(path)
    problems += [Problem(path, None, "A comment goes in a folder named after its entry's address: "
                         f"{settings.comments_path.name}/<entry-address>/<name>.md. Move it there.")
                 for path in misplaced]
    comments = read_headers(in_folders, "a comment", problems, warnings)
    warnings += [Problem(header.path, None, "This comment has no text yet: write it below the header.")
                 for header in comments if not header.has_text]
    folders = group_by_folder(comments, settings.comments_path)
    by_slug = entries_by_slug(entries, settings)
    for folder, headers in folders.items():
        problems += check_comment_files(headers, folder, by_slug, usable_roster)
    paths, path_problems, path_warnings = check_paths(settings.paths_folder, settings.ignored_names, by_slug)
    return CheckedContent(roster, entries, dict(folders), problems + path_problems, warnings + path_warnings, paths)


def entry_files(settings: CasebookSettings):
    excluded = [settings.content_path / exclude for exclude in settings.entry_excludes]
    return [path for folder in settings.entry_paths
            for path in content_files(settings.content_path / folder, settings.ignored_names, excluded)]


def read_headers(paths, kind: str, problems: list[Problem], warnings: list[Problem]) -> list[Header]:
    """The headers of the Markdown files among paths; other files are left out with a warning."""
    headers = []
    for path in paths:
        if path.suffix != ".md":
            warnings.append(Problem(path, None, f"This file is not {kind} and is left out: "
                                    "only Markdown files whose names end in .md are read."))
            continue
        header, header_problems = read_header(path)
        problems += header_problems
        if header:
            headers.append(header)
    return headers
