"""Check all the content at once, before anything is built."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem
from ..settings import CasebookSettings
from .comments import check_comment_files, endorses, group_by_folder
from .entries import check_entry, duplicate_slugs, entries_by_slug, has_address
from .headers import Header, content_files, read_header
from .pages import check_page
from .paths import ReadingPath, check_paths
from .people import Roster, load_roster
from .tags import read_tags


@dataclass(frozen=True)
class CheckedContent:
    roster: Roster
    entries: list[Header]
    comments: dict[str, list[Header]]  # by the slug of their entry
    pages: list[Header]  # the guide pages
    problems: list[Problem]
    warnings: list[Problem]
    tag_spelling: dict[str, str]  # by a tag's address: the spelling shown everywhere
    paths: list[ReadingPath]  # the trainers' reading paths


def check_content(settings: CasebookSettings) -> CheckedContent:
    roster, problems = load_roster(settings)
    # With no readable roster, every author would be "unknown": say it once.
    usable_roster = roster if roster.names or not problems else None
    warnings: list[Problem] = []

    entries = read_headers(
        files_in(settings.entry_paths, settings.entry_excludes, settings),
        "an entry",
        problems,
        warnings,
    )
    for header in entries:
        problems += check_entry(header, usable_roster, settings)
    tags = read_tags(entries, settings)
    problems += duplicate_slugs(entries, settings) + tags.problems
    warnings += tags.warnings

    pages = read_headers(
        files_in(settings.page_paths, settings.page_excludes, settings),
        "a guide page",
        problems,
        warnings,
    )
    for header in pages:
        problems += check_page(header, settings)
    problems += duplicate_slugs(pages, settings, "guide page")

    in_folders, misplaced = [], []
    for path in content_files(settings.comments_path, settings.ignored_names):
        (
            in_folders if len(path.relative_to(settings.comments_path).parts) == 2 else misplaced
        ).append(path)
    problems += [
        Problem(
            path,
            None,
            "A comment goes in a folder named after its entry's address: "
            f"{settings.comments_path.name}/<entry-address>/<name>.md. Move it there.",
        )
        for path in misplaced
    ]
    comments = read_headers(in_folders, "a comment", problems, warnings)
    warnings += [
        Problem(
            header.path,
            None,
            "This comment has no text yet: write it below the header."
            + (" Its endorsement counts once it says why." if endorses(header) else ""),
        )
        for header in comments
        if not header.has_text
    ]
    folders = group_by_folder(comments, settings.comments_path)
    by_slug = entries_by_slug(entries, settings)
    every_address_known = all(map(has_address, entries))
    for folder, headers in folders.items():
        problems += check_comment_files(
            headers, folder, by_slug, usable_roster, every_address_known
        )
    paths, path_problems, path_warnings = check_paths(
        settings.paths_folder, settings.ignored_names, by_slug
    )
    return CheckedContent(
        roster,
        entries,
        dict(folders),
        pages,
        problems + path_problems,
        warnings + path_warnings,
        tags.spelling,
        paths,
    )


def files_in(
    folders: tuple[str, ...], excludes: tuple[str, ...], settings: CasebookSettings
) -> list[Path]:
    """The files Pelican reads as entries (or as pages): under these folders of the content, but not
    under the excluded ones."""
    excluded = [settings.content_path / exclude for exclude in excludes]
    return [
        path
        for folder in folders
        for path in content_files(settings.content_path / folder, settings.ignored_names, excluded)
    ]


def read_headers(
    paths, kind: str, problems: list[Problem], warnings: list[Problem]
) -> list[Header]:
    """The headers of the Markdown files among paths; other files are left out with a warning."""
    headers = []
    for path in paths:
        if path.suffix != ".md":
            warnings.append(
                Problem(
                    path,
                    None,
                    f"This file is not {kind} and is left out: "
                    "only Markdown files whose names end in .md are read.",
                )
            )
            continue
        header, header_problems = read_header(path)
        problems += header_problems
        if header:
            headers.append(header)
    return headers
