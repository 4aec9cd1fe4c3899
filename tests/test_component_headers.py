"""content/headers.py alone: the header of a content file, read as Pelican reads it, and its checks.

No site is built; only the file walker and read_header touch files (in a temporary folder).
Also the test file for the mutation run of headers.py (docs/mutation.md).
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest
from pelican.plugins.casebook.content.headers import (
    SLUG_FORMAT,
    Field,
    Header,
    check_author,
    check_date,
    check_fields,
    content_files,
    digest_of,
    parse_date,
    parse_header,
    read_header,
    source_text,
)
from pelican.plugins.casebook.content.people import Person, Roster

PATH = Path("content/entries/2024/entry.md")


def parsed(text: str):
    return parse_header(PATH, text)


def messages(problems) -> list[tuple[int | None, str]]:
    return [(problem.line, problem.message) for problem in problems]


def test_fields_are_named_in_lower_case_with_their_values_and_lines():
    header, problems = parsed("Title: A call\nDATE: 2024-03-05\nAuthor:  Ana Sousa  \n\nText.\n")
    assert problems == []
    assert header.fields == {
        "title": Field("A call", 1),
        "date": Field("2024-03-05", 2),
        "author": Field("Ana Sousa", 3),
    }
    assert header.value("title") == "A call" and header.line("author") == 3
    assert header.value("tags") == "" and header.line("tags") is None
    assert header.has_text and header.path == PATH


def test_a_header_may_open_with_three_dashes_and_close_with_dashes_or_dots():
    header, _ = parsed("---\nTitle: A call\nDate: 2024-03-05\n---\nTags: not a field\n")
    assert header.fields == {"title": Field("A call", 2), "date": Field("2024-03-05", 3)}
    assert header.has_text
    header, _ = parsed("Title: A call\n...\nText.\n")
    assert header.fields == {"title": Field("A call", 1)} and header.has_text


def test_the_header_ends_at_the_first_line_that_is_not_a_field():
    header, _ = parsed("Title: A call\nThe caller rang twice.\nTags: x\n")
    assert header.fields == {"title": Field("A call", 1)}
    assert header.has_text  # the line that is not a field is the text


def test_text_below_the_header_is_told_apart_from_none():
    assert not parsed("Title: A call\n")[0].has_text
    assert not parsed("Title: A call\n\n   \n\n")[0].has_text
    assert not parsed("")[0].has_text and parsed("")[0].fields == {}
    assert parsed("Title: A call\n\nx")[0].has_text
    assert parsed("Just text, no header.\n")[0].has_text


def test_a_value_written_on_several_indented_lines_is_joined_with_line_feeds():
    header, _ = parsed(
        "Title: A call\nSummary: First line\n    second line\n\tthird line\nDate: 2024-03-05\n"
    )
    assert header.fields["summary"] == Field("First line\nsecond line\nthird line", 2)
    assert header.fields["date"] == Field("2024-03-05", 5)


def test_an_indented_line_before_any_field_ends_the_header():
    header, _ = parsed("    indented text\nTitle: A call\n")
    assert header.fields == {} and header.has_text


def test_a_field_written_twice_is_refused_on_its_second_line_and_the_first_kept():
    header, problems = parsed("Title: One\nDate: 2024-03-05\ntitle: Two\n\nText\n")
    assert header.value("title") == "One"
    assert messages(problems) == [
        (3, '"title" is written twice (first on line 1). Keep one of them.')
    ]


def test_a_header_with_crlf_or_cr_line_endings_and_a_bom_reads_the_same():
    expected = parsed("Title: A call\nDate: 2024-03-05\n\nText\n")[0]
    for text in (
        "\ufeffTitle: A call\r\nDate: 2024-03-05\r\n\r\nText\r\n",
        "Title: A call\rDate: 2024-03-05\r\rText\r",
    ):
        header, problems = parsed(text)
        assert (header.fields, header.has_text, problems) == (expected.fields, True, [])
    assert source_text("\ufeffa\r\nb\rc\n".encode()) == "a\nb\nc\n"


def test_the_digest_is_of_the_file_as_written():
    text = "Title: A call\r\n\r\nText\r\n"
    assert parsed(text)[0].digest == digest_of(text.encode())
    assert parsed(text)[0].digest != parsed("Title: A call\n\nText\n")[0].digest
    assert digest_of(b"x") == digest_of(b"x") != digest_of(b"y")
    assert len(digest_of(b"x")) == 32 and int(digest_of(b"x"), 16) >= 0


def test_an_invisible_character_in_a_header_line_is_refused_on_its_line():
    _, problems = parsed("Title: A call\nAuthor: Ana\u200b Sousa\n\nText with \u200b is fine.\n")
    assert messages(problems) == [
        (
            2,
            "This line holds an invisible character, U+200B (zero width space), probably pasted "
            "from another program. It can hide part of the line from Casebook's checks, or stop "
            "the build. Delete the line and type it again.",
        )
    ]


def test_below_the_header_a_control_character_is_refused_once_per_line():
    _, problems = parsed("Title: A call\n\nOne \x07 and \x08\nfine\nthree \x1b\n")
    assert [line for line, _ in messages(problems)] == [3, 5]
    assert "U+0007" in problems[0].message and "U+001B" in problems[1].message


def test_a_c1_control_character_below_the_header_is_refused():
    _, problems = parsed("Title: A call\n\nA \x85 here\n")
    assert [line for line, _ in messages(problems)] == [3]


def test_lists_nested_too_deep_are_refused_with_the_header_check():
    deep = "".join("    " * level + "- item\n" for level in range(25))
    _, problems = parsed(f"Title: A call\n\n{deep}")
    assert [line for line, _ in messages(problems)] == [
        23
    ]  # 20 indents and a list marker: 21 levels


def test_read_header_reads_a_file_and_names_one_that_is_not_utf8(tmp_path):
    good = tmp_path / "good.md"
    good.write_bytes("Title: Café\n\nText\n".encode())
    header, problems = read_header(good)
    assert header.value("title") == "Café" and problems == []
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"Title: Caf\xe9\n\nText\n")
    header, problems = read_header(bad)
    assert header is None and len(problems) == 1 and problems[0].path == bad
    assert "UTF-8" in problems[0].message


def test_content_files_walks_as_pelican_does(tmp_path):
    for name in ("b/z.md", "b/a.md", "a.md", "a/c.md", ".hidden/x.md", "b/.#lock", "skip/y.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = content_files(tmp_path, (".*",), [tmp_path / "skip"])
    assert [str(path.relative_to(tmp_path)) for path in found] == [
        "a/c.md",
        "a.md",
        "b/a.md",
        "b/z.md",
    ]
    found = content_files(tmp_path, (), [tmp_path / "b" / "z.md"])
    assert [str(path.relative_to(tmp_path)) for path in found] == [
        ".hidden/x.md",
        "a/c.md",
        "a.md",
        "b/.#lock",
        "b/a.md",
        "skip/y.md",
    ]


def entry(text: str) -> Header:
    return parsed(text)[0]


REQUIRED, OPTIONAL = ("title", "date"), ("tags", "summary")


def test_check_fields_names_each_missing_or_empty_required_field():
    problems = check_fields(entry("Title:\nTags: x\n\nText\n"), "entry", REQUIRED, OPTIONAL)
    assert messages(problems) == [
        (
            1,
            f'The entry has no {name}. Add a line "{name}: ..." to the header at the top of the '
            "file (before the first blank line).",
        )
        for name in ("Title", "Date")
    ]


def test_check_fields_names_an_unknown_field_with_a_guess_and_the_known_ones():
    header = entry("Title: A\nDate: 2024-03-05\nTagz: x\nColour: red\n\nText\n")
    assert messages(check_fields(header, "entry", REQUIRED, OPTIONAL)) == [
        (
            3,
            '"Tagz" is not a field of this entry. Did you mean "Tags"? The fields are Title, Date, '
            "Tags, Summary. If this line is part of the text, leave a blank line above it.",
        ),
        (
            4,
            '"Colour" is not a field of this entry. The fields are Title, Date, Tags, Summary. '
            "If this line is part of the text, leave a blank line above it.",
        ),
    ]


def test_check_fields_refuses_a_value_on_several_lines_but_a_summarys():
    header = entry("Title: A\n    call\nDate: 2024-03-05\nSummary: one\n    two\n\nText\n")
    assert messages(check_fields(header, "entry", REQUIRED, OPTIONAL)) == [
        (
            1,
            '"Title" goes on over the next, indented line. Write it on one line (only a Summary '
            "may take several).",
        )
    ]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-03-05", datetime.datetime(2024, 3, 5)),
        ("2024-3-5", datetime.datetime(2024, 3, 5)),
        ("2024-03-05 14:30", datetime.datetime(2024, 3, 5, 14, 30)),
        ("2024-03-05T9:05", datetime.datetime(2024, 3, 5, 9, 5)),
        ("2024-03-05 14:30:59", datetime.datetime(2024, 3, 5, 14, 30, 59)),
    ],
)
def test_a_date_may_have_a_time_and_seconds(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["05/03/2024", "2024-03-05 14", "2024-03-05  14:30", "x2024-03-05", "2024-03-05 14:30:5", ""],
)
def test_a_date_in_another_form_is_refused_with_the_form_to_use(value):
    with pytest.raises(ValueError) as error:
        parse_date(value)
    assert str(error.value) == (
        f'Date "{value}" is not in the form YYYY-MM-DD. '
        "Write it like 2024-03-05 (a time may follow: 2024-03-05 14:30)."
    )


def test_a_date_that_is_not_real_is_refused_with_its_reason():
    with pytest.raises(ValueError) as error:
        parse_date("2024-02-30")
    assert str(error.value) == (
        'Date "2024-02-30" is not a real date (day is out of range for month). '
        "Check the day and month."
    )
    with pytest.raises(ValueError, match="hour must be in 0..23"):
        parse_date("2024-02-03 24:00")


def test_check_date_reports_on_the_dates_line_and_only_a_written_date():
    assert check_date(entry("Title: A\n\nText\n")) == []
    assert check_date(entry("Title: A\nDate: 2024-03-05\n\nText\n")) == []
    problems = check_date(entry("Title: A\nDate: 2024-13-05\n\nText\n"))
    assert messages(problems) == [
        (
            2,
            'Date "2024-13-05" is not a real date (month must be in 1..12). '
            "Check the day and month.",
        )
    ]


ROSTER = Roster(
    Path("content/people.toml"),
    {"Ana Sousa": Person("Ana Sousa", "staff")},
    frozenset({"Ana Sousa", "Julie Hill"}),
)


def test_check_author_accepts_anyone_on_the_roster_and_names_a_stranger():
    assert check_author(entry("Author: Ana Sousa\n\nx\n"), ROSTER) == []
    assert check_author(entry("Author: Julie Hill\n\nx\n"), ROSTER) == []
    assert check_author(entry("Title: A\n\nx\n"), ROSTER) == []
    assert check_author(entry("Author: Nobody At All\n\nx\n"), None) == []
    assert messages(check_author(entry("Title: A\nAuthor: Ana Souza\n\nx\n"), ROSTER)) == [
        (
            2,
            'Author "Ana Souza" is not on the roster. Did you mean "Ana Sousa"? Write the name '
            "exactly as in content/people.toml, or add the person there.",
        )
    ]
    assert messages(check_author(entry("Author: Xavier Quorn\n\nx\n"), ROSTER)) == [
        (
            1,
            'Author "Xavier Quorn" is not on the roster. Write the name exactly as in '
            "content/people.toml, or add the person there.",
        )
    ]


def test_closing_dashes_or_dots_are_not_text():
    assert not parsed("Title: A call\n---\n")[0].has_text
    assert not parsed("---\nTitle: A call\n...\n")[0].has_text


def test_the_text_starts_right_after_the_header_and_its_blank_line():
    assert parsed("A: b\nC: d\n\nx")[0].has_text
    # The line that ends the header is text: an invisible character there is not a header's.
    assert parsed("Title: A call\n\u200bText")[1] == []
    assert [p.line for p in parsed("Title: A call\u200b\nText")[1]] == [1]


def test_a_control_character_is_reported_on_its_line_when_the_file_starts_with_a_blank_line():
    assert [problem.line for problem in parsed("\nText \x07\n")[1]] == [2]


def test_a_header_and_its_fields_cannot_be_changed_and_take_little_memory():
    header = parsed("Title: A call\n\nText\n")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        header.has_text = False
    with pytest.raises(dataclasses.FrozenInstanceError):
        header.fields["title"].value = "Another"
    assert not hasattr(header, "__dict__") and not hasattr(header.fields["title"], "__dict__")


def test_a_header_made_without_a_file_has_text_and_no_digest():
    header = Header(PATH, {})
    assert header.has_text is True and header.digest == ""


def test_content_files_follows_linked_folders(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.md").write_text("x")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "linked").symlink_to(tmp_path / "real")
    assert content_files(tmp_path / "content", ()) == [tmp_path / "content" / "linked" / "a.md"]


@pytest.mark.parametrize("slug", ["a", "refund-by-friday", "2024-call-3"])
def test_a_slug_is_lower_case_words_and_digits_joined_by_hyphens(slug):
    assert SLUG_FORMAT.match(slug)


@pytest.mark.parametrize(
    "slug", ["", "Refund", "refund--friday", "-refund", "refund-", "a_b", "a b"]
)
def test_anything_else_is_not_a_slug(slug):
    assert not SLUG_FORMAT.match(slug)
