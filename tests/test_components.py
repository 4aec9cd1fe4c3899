"""The pure parts, tested alone: nothing is built or written, so a failure points at its cause."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from markdown import Markdown
from pelican.plugins.casebook.content.comments import discussion
from pelican.plugins.casebook.content.headers import digest_of, parse_header, source_text
from pelican.plugins.casebook.content.people import Person, Roster
from pelican.plugins.casebook.rendering.lessons_markdown import (
    LessonsExtension,
    anchor_words,
    is_lessons_heading,
)
from pelican.plugins.casebook.rendering.sanitise import clean_html


def lessons_of(text: str):
    md = Markdown(extensions=[LessonsExtension()])
    html = md.convert(text)
    return html, md.lessons


@pytest.mark.parametrize(
    "heading",
    [
        "## Lessons learned",
        "### lessons LEARNED:",
        "# Lessons  learned :",
        "Lessons learned\n---------------",
    ],
)
def test_a_lessons_heading_is_found_at_any_level_and_case(heading):
    _, lessons = lessons_of(
        f"## What happened\n\n- not a lesson\n\n{heading}\n\n- Say the date.\n- Write it down.\n"
    )
    assert [lesson.text for lesson in lessons] == ["Say the date.", "Write it down."]


def test_lessons_end_at_the_next_heading_of_the_same_level_but_not_a_lower_one():
    text = (
        "## Lessons learned\n\n- One.\n\n### Detail\n\n- Two.\n\n## Afterwards\n\n- Not a lesson.\n"
    )
    assert [lesson.text for lesson in lessons_of(text)[1]] == ["One.", "Two."]


def test_each_lesson_gets_a_stable_unique_anchor_and_its_own_html():
    html, lessons = lessons_of(
        "## Lessons learned\n\n- Say **when** you will call back.\n- Say when you will call back.\n"
    )
    assert [lesson.anchor for lesson in lessons] == [
        "lesson-say-when-you-will-call-back",
        "lesson-say-when-you-will-call-back-2",
    ]
    assert lessons[0].html == "Say <strong>when</strong> you will call back."
    assert 'id="lesson-say-when-you-will-call-back"' in html and 'class="lesson"' in html


def test_an_anchor_is_made_of_the_first_eight_words_and_never_empty():
    assert (
        anchor_words("one two three four five six seven eight nine ten")
        == "one-two-three-four-five-six-seven-eight"
    )
    assert anchor_words("!!!") == "item"
    assert not is_lessons_heading("Lessons learnt") and is_lessons_heading("  Lessons\tlearned: ")


def test_sanitising_keeps_the_journals_markup_and_drops_what_runs():
    kept = (
        '<p><em>a</em> <a href="https://x.example/">b</a> '
        "<code>c</code></p><blockquote>d</blockquote>"
    )
    assert clean_html(kept) == kept
    for bad in (
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        '<iframe src="https://x.example"></iframe>',
        '<p style="color:red">x</p>',
    ):
        cleaned = clean_html(bad)
        assert not any(
            word in cleaned for word in ("script", "javascript", "onerror", "iframe", "style")
        ), cleaned


def test_a_file_is_read_as_text_the_same_way_whatever_its_line_endings():
    assert source_text("\ufeffa\r\nb\rc\n".encode()) == "a\nb\nc\n"
    assert digest_of(b"x") != digest_of(b"y") and len(digest_of(b"x")) == 32


def comment(name: str, date: str, author: str, *lines: str, text: str = "Thanks.") -> object:
    header = "".join(f"{line}\n" for line in (f"Author: {author}", f"Date: {date}", *lines))
    return parse_header(Path(f"content/comments/entry/{name}.md"), f"{header}\n{text}\n")[0]


def test_comments_are_threaded_by_reply_in_date_order_with_their_endorsements():
    roster = Roster(
        Path("people.toml"),
        {
            name: Person(name, role)
            for name, role in (("Julie Hill", "supervisor"), ("Ana Sousa", "staff"))
        },
    )
    headers = [
        comment("c", "2024-01-03", "Ana Sousa", "Replyto: a"),
        comment("a", "2024-01-01", "Julie Hill", "Endorsement: yes"),
        comment("b", "2024-01-02", "Ana Sousa"),
        comment(
            "d", "2024-01-04", "Julie Hill", "Endorsement: yes", text=""
        ),  # no text yet: not counted
    ]
    thread = discussion(headers, roster, render=lambda path: path.stem, timezone=lambda date: date)
    assert [(c.slug, [r.slug for r in c.replies]) for c in thread.threads] == [
        ("a", ["c"]),
        ("b", []),
        ("d", []),
    ]
    assert thread.count == 4
    assert [c.slug for c in thread.endorsements] == ["a"]
    assert thread.last_endorsed == datetime.datetime(2024, 1, 1)
    assert thread.threads[0].html == "a" and thread.threads[0].anchor == "comment-a"
