"""The content check remembers what it read per file (content/headers.py): a check after changes
finds exactly what a check that reads every file finds, cross-file problems included."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import ROOT
from pelican.plugins.casebook.content import headers
from pelican.plugins.casebook.content.validation import check_content
from pelican.plugins.casebook.settings import CasebookSettings
from pelican.settings import read_settings

REFUND = "content/entries/2022/2022-11-08-refund-by-friday.md"  # it has comments
SILENCE = "content/entries/2025/2025-02-11-silence-on-the-line.md"


def checked(project: Path):
    settings = read_settings(
        str(ROOT / "pelicanconf.py"), override={"PATH": str(project / "content")}
    )
    return check_content(CasebookSettings.from_pelican(settings))


def read_from_scratch(project: Path):
    remembered = dict(headers._remembered)
    headers._remembered.clear()
    try:
        return checked(project)
    finally:
        headers._remembered.update(remembered)


def found(content) -> tuple:
    return (
        [str(problem) for problem in content.problems],
        [str(problem) for problem in content.warnings],
        content.entries,
        content.comments,
        content.pages,
    )


def replace_in(path: Path, old: str, new: str, keep_times: bool = False) -> Path:
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if keep_times:  # as cp -p, touch -r and sync tools do
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    return path


def test_a_remembering_check_finds_what_a_full_check_finds(project):
    assert checked(project).problems == []
    assert found(checked(project)) == found(read_from_scratch(project))  # nothing changed

    # An entry renamed: the comments on its old address now point at no entry.
    replace_in(
        project / REFUND, "Title: Refund by Friday", "Title: Refund by Friday\nSlug: by-friday"
    )
    # A copy of an entry: two entries with one address.
    shutil.copy(project / SILENCE, project / "content/entries/2025/silence-again.md")
    # An edit that keeps the file's size and modification time.
    replace_in(project / SILENCE, "Author: Priya Nair", "Author: Priya Naxr", keep_times=True)
    # A file saved again unchanged.
    os.utime(project / "content/people.toml")

    remembered = checked(project)
    assert found(remembered) == found(read_from_scratch(project))
    problems = "\n".join(map(str, remembered.problems))
    assert "refund-by-friday" in problems and "by-friday" in problems
    assert problems.count('Author "Priya Naxr" is not on the roster') == 1  # kept its times
    assert "silence-again.md" in problems
