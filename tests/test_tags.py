"""One tag, one spelling: tags that are the same words written differently are one tag
everywhere."""

from __future__ import annotations

import json

from conftest import html, run_invoke

TRACKING = "content/entries/2022/2022-03-14-what-is-a-tracking-number-anyway.md"
SILENCE = "content/entries/2025/2025-02-11-silence-on-the-line.md"
COUNTER = "content/entries/2024/2024-04-25-a-complaint-at-the-counter.md"


def retag(project, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_spellings_of_one_tag_are_shown_as_most_entries_write_it(project):
    retag(project, SILENCE, "Tags: anxious caller,", "Tags: Anxious-Caller,")
    retag(project, COUNTER, "Tags: ", "Tags: anxious caller, ")
    built = run_invoke(project, "build")
    assert built.returncode == 0, built.stderr
    # The file with the other spelling is named, on one line, with the spelling shown.
    assert any(
        f'{SILENCE}:4: The tag "Anxious-Caller" is written "anxious caller" in {TRACKING} and 1 '
        "more." in line
        for line in built.stdout.splitlines()
    ), built.stdout
    site = project / "output"
    assert [
        a.get_text()
        for a in html(site / "tags/index.html").select("main a")
        if "anxious" in a.get_text().lower()
    ] == ["anxious caller"]
    silence = html(next(site.glob("2025/02/silence-on-the-line/index.html")))
    assert [a.get_text() for a in silence.select('a[data-pagefind-filter="tag"]')][
        0
    ] == "anxious caller"
    lessons = html(site / "lessons/index.html")
    ids = [element["id"] for element in lessons.select("[id]")]
    assert len(ids) == len(set(ids)), "two lessons groups with one anchor"
    assert [h.contents[0].strip() for h in lessons.select("section.lesson-group h2")].count(
        "anxious caller"
    ) == 1
    exported = json.loads((site / "lessons.json").read_text())
    assert not any("Anxious-Caller" in lesson["tags"] for lesson in exported)

    checked = run_invoke(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f'{SILENCE}:4: The tag "Anxious-Caller" is written "anxious caller"' in checked.stdout


def test_new_writes_a_tag_as_the_journal_spells_it(project):
    created = run_invoke(
        project,
        "new",
        "Another worried caller",
        "--author",
        "Ana Sousa",
        "--tags",
        "Anxious-Caller, brand new tag",
    )
    assert created.returncode == 0, created.stderr
    [path] = project.glob("content/entries/*/*-another-worried-caller.md")
    assert "Tags: anxious caller, brand new tag\n" in path.read_text()
