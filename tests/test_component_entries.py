"""content/entries.py alone: the rules of the entry contract, on headers parsed in memory.

Nothing is built or written. Also the test file for the mutation run of entries.py
(docs/mutation.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.plugins.casebook.content.entries import (
    check_address,
    check_entry,
    duplicate_slugs,
    entries_by_slug,
    entry_slug,
    has_address,
    slug_for,
    tag_names,
)
from pelican.plugins.casebook.content.headers import parse_header
from pelican.plugins.casebook.content.people import Person, Roster
from pelican.plugins.casebook.settings import CasebookSettings
from pelican.settings import DEFAULT_CONFIG

SETTINGS = CasebookSettings.from_pelican({**DEFAULT_CONFIG, "PATH": "content", "TIMEZONE": "UTC"})
ROSTER = Roster(
    Path("content/people.toml"),
    {"Ana Sousa": Person("Ana Sousa", "staff")},
    frozenset({"Ana Sousa"}),
)
GOOD = "Title: The caller who wanted a refund\nDate: 2024-03-05\nAuthor: Ana Sousa\n"


def entry(fields: str = "", name: str = "entry", text: str = "Text.\n"):
    return parse_header(Path(f"content/entries/2024/{name}.md"), f"{GOOD}{fields}\n{text}")[0]


def bare(fields: str, name: str = "entry"):
    return parse_header(Path(f"content/entries/2024/{name}.md"), f"{fields}\nText.\n")[0]


def problems_of(header, roster=ROSTER, settings=SETTINGS) -> list[tuple[int | None, str]]:
    return [(problem.line, problem.message) for problem in check_entry(header, roster, settings)]


def test_a_complete_entry_has_no_problem():
    fields = "Tags: refunds, deadlines\nSummary: A refund.\nChannel: email\nSlug: refund\n"
    assert problems_of(entry(fields)) == []
    assert problems_of(entry("Status: draft\n")) == []
    assert problems_of(entry("Status: published\n")) == []


def test_missing_fields_a_bad_date_and_a_stranger_are_all_reported_at_once():
    header = bare("Title: A call\nDate: 2024-02-30\nAuthor: Xavier Quorn\nColour: red\n")
    assert [line for line, _ in problems_of(header)] == [4, 2, 3]
    assert [message for _, message in problems_of(bare("Summary: x\n"))] == [
        f'The entry has no {name}. Add a line "{name}: ..." to the header at the top of the file '
        "(before the first blank line)."
        for name in ("Title", "Date", "Author")
    ]


def test_each_problem_names_the_entrys_file():
    header = entry("Channel: fax\nStatus: gone\nTags: 🙂\nSlug: A B\n")
    problems = check_entry(header, ROSTER, SETTINGS)
    assert len(problems) == 4 and {problem.path for problem in problems} == {header.path}


def test_a_channel_we_do_not_know_is_named_with_a_guess_and_the_channels():
    assert problems_of(entry("Channel: Phone\n")) == [
        (
            4,
            'Channel "Phone" is not one we know. Did you mean "phone"? '
            "Use one of: phone, email, chat, in-person, other.",
        )
    ]
    assert problems_of(entry("Channel: carrier pigeon\n")) == [
        (
            4,
            'Channel "carrier pigeon" is not one we know. Use one of: phone, email, chat, '
            "in-person, other.",
        )
    ]


@pytest.mark.parametrize("status", ["drfat", "Draft", "hidden", "yes"])
def test_a_mistyped_status_is_refused_rather_than_publishing_the_entry(status):
    assert problems_of(entry(f"Status: {status}\n")) == [
        (
            4,
            f'Status "{status}" is not one we know. Write "Status: draft" to keep the entry '
            "unpublished, or remove the line.",
        )
    ]


def test_a_tag_that_makes_no_address_is_refused_on_the_tags_line():
    assert problems_of(entry("Tags: refunds, 🙂, ???\n")) == [
        (
            4,
            f'The tag "{tag}" has no letters or digits to make a web address from. Write each '
            "tag as a word or a few, with letters or digits.",
        )
        for tag in ("🙂", "???")
    ]
    long_tag = "word " * 50
    assert [line for line, _ in problems_of(entry(f"Tags: {long_tag}\n"))] == [4]


def test_tags_are_split_on_semicolons_when_there_are_any_else_on_commas():
    assert tag_names(entry("Tags: refunds, deadlines\n")) == ["refunds", "deadlines"]
    assert tag_names(entry("Tags: refunds, late; deadlines\n")) == ["refunds, late", "deadlines"]
    assert tag_names(entry()) == []


def test_a_slug_in_another_form_is_refused_with_one_that_would_do():
    assert check_address(entry("Slug: Refund by Friday!\n"), SETTINGS)[0].message == (
        'Slug "Refund by Friday!" can only hold lower-case letters, digits and hyphens, '
        'for example "refund-by-friday".'
    )
    assert check_address(entry("Slug: Refund by Friday!\n"), SETTINGS)[0].line == 4


def test_a_slug_too_long_for_a_file_name_is_refused():
    slug = "-".join(["refund"] * 40)
    problems = check_address(entry(f"Slug: {slug}\n"), SETTINGS)
    assert [(p.line, p.message) for p in problems] == [
        (
            4,
            "The Slug makes a web address of 279 characters, and at most 200 fit in a file name. "
            "Shorten it.",
        )
    ]


def test_a_title_that_makes_no_address_needs_a_slug():
    header = bare("Title: 🙂🙂\nDate: 2024-03-05\n")
    assert [(p.line, p.message) for p in check_address(header, SETTINGS)] == [
        (
            1,
            'The title "🙂🙂" has no letters or digits to make a web address from. Add a line '
            '"Slug: ..." with a short address of lower-case letters, digits and hyphens, such as '
            "refund-by-friday.",
        )
    ]
    assert check_address(bare("Title: 🙂🙂\nSlug: smile\n"), SETTINGS) == []
    assert check_address(bare("Date: 2024-03-05\n"), SETTINGS) == []


def test_an_entrys_address_is_its_slug_or_else_made_from_its_title():
    assert slug_for("The Caller's Refund, by Friday!", SETTINGS) == "the-callers-refund-by-friday"
    assert entry_slug(entry(), SETTINGS) == "the-caller-who-wanted-a-refund"
    assert entry_slug(entry("Slug: refund\n"), SETTINGS) == "refund"
    assert has_address(bare("Slug: refund\n")) and has_address(bare("Title: A\n"))
    assert not has_address(bare("Date: 2024-03-05\n"))


def test_entries_by_slug_leaves_out_entries_without_an_address():
    one, two, none = entry(), entry("Slug: two\n", "two"), bare("Date: 2024-03-05\n", "none")
    assert entries_by_slug([one, two, none], SETTINGS) == {
        "the-caller-who-wanted-a-refund": one,
        "two": two,
    }


def test_entries_with_the_same_address_each_name_the_others():
    first = entry(name="first")
    second = entry("Slug: the-caller-who-wanted-a-refund\n", "second")
    third = bare("Title: The caller who wanted a refund\n", "third")
    alone = entry("Slug: alone\n", "alone")
    problems = duplicate_slugs([first, second, alone, third, bare("Date: 2024-03-05\n")], SETTINGS)
    assert [(p.path.stem, p.line, p.message) for p in problems] == [
        (
            "first",
            1,
            'Another entry has the same address "the-caller-who-wanted-a-refund": '
            "content/entries/2024/second.md, content/entries/2024/third.md. Change one title, "
            'or give one entry its own "Slug: ..." line.',
        ),
        (
            "second",
            4,
            'Another entry has the same address "the-caller-who-wanted-a-refund": '
            "content/entries/2024/first.md, content/entries/2024/third.md. Change one title, "
            'or give one entry its own "Slug: ..." line.',
        ),
        (
            "third",
            1,
            'Another entry has the same address "the-caller-who-wanted-a-refund": '
            "content/entries/2024/first.md, content/entries/2024/second.md. Change one title, "
            'or give one entry its own "Slug: ..." line.',
        ),
    ]
    pages = duplicate_slugs([bare("Title: A\n", "a"), bare("Title: A\n", "b")], SETTINGS, "page")
    assert pages[0].message.startswith('Another page has the same address "a"')
    assert pages[0].message.endswith('give one page its own "Slug: ..." line.')
    assert duplicate_slugs([first, alone], SETTINGS) == []
