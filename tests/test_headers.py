"""The content check reads a header exactly as Pelican does, and refuses what could hide a field.

A header line holding a line separator (U+2028) once hid fields from the check
that Pelican still read: `Tags: refunds<U+2028>` then `Save_as: index.html`
replaced the home page. These tests compare the check's reading with Pelican's
own reader over many generated headers, and build the sample journal with the
attacks the adversarial tester found.
"""

from __future__ import annotations

import random

import pytest
from conftest import ROOT, run_invoke
from pelican.plugins.casebook.content import entries
from pelican.plugins.casebook.content.headers import check_fields, parse_header
from pelican.plugins.casebook.rendering.reader import CasebookMarkdownReader
from pelican.settings import read_settings

REFUND = "content/entries/2022/2022-11-08-refund-by-friday.md"

# What can break a line for one program and not for another, or is not there at all for Markdown.
SEPARATORS = [
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x1f",
    "\r",
    "\r\n",
    "\x02",
    "\x03",
    "\t",
    "\u200b",
    "\ufeff",
    "\xa0",
    "\u3000",
]


def generated_header(rng: random.Random) -> str:
    """A header of random fields, with separators, continuation lines and blank lines sprinkled
    in."""
    count = iter(range(100))

    def name() -> str:  # numbered: never twice the same, never one Pelican treats specially
        return f"{rng.choice(['Tags', 'save_AS', 'x-y', 'a_b', 'Z'])}{next(count)}"

    def value() -> str:
        parts = []
        for _ in range(rng.randint(0, 6)):
            parts.append(
                rng.choice(
                    [
                        rng.choice(["refunds", "Ana Sousa", "index.html", "a: b", " ", "!"]),
                        rng.choice(SEPARATORS),
                        f"\n{' ' * rng.randint(4, 6)}more",  # a continuation line
                        f"\n{name()}: hidden",  # a field on a line of its own
                        f"{rng.choice(SEPARATORS)}\n{name()}: after a separator",
                    ]
                )
            )
        return "".join(parts)

    start = rng.choice(["", "---\n", "\ufeff"])
    fields = "".join(f"{name()}: {value()}\n" for _ in range(rng.randint(1, 5)))
    return f"{start}{fields}\nThe text of the entry.\n"


def pelican_fields(reader: CasebookMarkdownReader, path) -> dict[str, str]:
    """The fields Pelican's reader (ours, as the build uses it) returns, a field on several lines
    joined."""
    _, metadata = reader.read(str(path))
    metadata.pop("lessons"), metadata.pop("source_digest")  # what our reader adds
    return {
        name: "\n".join(value) if isinstance(value, list) else value
        for name, value in metadata.items()
    }


def test_the_check_reads_every_header_as_pelican_does(tmp_path):
    reader = CasebookMarkdownReader(read_settings(str(ROOT / "pelicanconf.py")))
    rng = random.Random(14)
    path = tmp_path / "entry.md"
    separators_seen = set()
    for _ in range(400):
        text = generated_header(rng)
        separators_seen |= {separator for separator in SEPARATORS if separator in text}
        path.write_text(text, encoding="utf-8", newline="")
        header, _ = parse_header(path, text)
        checked = {name: field.value for name, field in header.fields.items()}
        assert checked == pelican_fields(reader, path), repr(text)
    assert separators_seen == set(SEPARATORS)  # the comparison met every kind of separator


@pytest.mark.parametrize(
    "character", ["\u2028", "\u2029", "\x85", "\x0b", "\x1e", "\x07", "\u200b", "\u202e", "\ufeff"]
)
def test_an_invisible_character_in_a_header_line_is_refused_on_its_line(tmp_path, character):
    text = f"Title: Refund\nTags: refunds{character}!\nAuthor: Ana Sousa\n\nText.\n"
    _, problems = parse_header(tmp_path / "entry.md", text)
    [problem] = problems
    assert problem.line == 2
    assert f"invisible character, U+{ord(character):04X}" in problem.message
    assert "type it again" in problem.message


def test_below_the_header_only_control_characters_are_refused(tmp_path):
    text = (
        "Title: Refund\n\nA zero\u200bwidth space, a\u2028separator, a tab\tand é are text.\n"
        "A bell\x07 is not.\n"
    )
    _, problems = parse_header(tmp_path / "entry.md", text)
    assert [(problem.line, "U+0007" in problem.message) for problem in problems] == [(4, True)]


def test_a_field_on_several_lines_is_refused_but_a_summary(tmp_path):
    text = (
        "Title: Refund\n    by Friday\nSummary: One sentence\n    and another.\nDate: 2024-01-01\n"
        "Author: Ana Sousa\n\nText.\n"
    )
    header, _ = parse_header(tmp_path / "entry.md", text)
    problems = check_fields(header, "entry", entries.REQUIRED_FIELDS, entries.OPTIONAL_FIELDS)
    assert [(problem.line, problem.message.split(" goes on")[0]) for problem in problems] == [
        (1, '"Title"')
    ]


@pytest.mark.parametrize(
    "attack, line, character",
    [
        # Replaces the home page.
        (
            (
                "Tags: refunds, deadlines, escalation",
                "Tags: refunds\u2028!\nSave_as: index.html\nUrl: ",
            ),
            4,
            "\u2028",
        ),
        # Credits the entry to someone who is not on the roster.
        (
            (
                "Tags: refunds, deadlines, escalation",
                "Tags: refunds\u2029\nAuthors: Mallory Stranger",
            ),
            4,
            "\u2029",
        ),
        # Drops the entry: Pelican cannot read the date, the check saw only its first part.
        (("Date: 2022-11-08 15:05", "Date: 2022-11-08\x85!"), 2, "\x85"),
        # Writes the entry over the tags page.
        (("Channel: email", "Channel: email\u2028\nSlug: ../../tags"), 5, "\u2028"),
    ],
)
def test_a_header_smuggling_a_field_past_the_check_fails_the_build(
    journal, attack, line, character
):
    journal.edit(REFUND, *attack)
    journal.fails_with(
        f"{REFUND}:{line}: This line holds an invisible character, U+{ord(character):04X}"
    )


def test_check_and_publish_refuse_a_smuggled_field(project, tmp_path):
    entry = project / REFUND
    entry.write_text(
        entry.read_text().replace(
            "Tags: refunds, deadlines, escalation",
            "Tags: refunds\u2028!\nSave_as: index.html\nUrl: ",
        )
    )
    checked = run_invoke(project, "check")
    assert checked.returncode == 1
    assert f"{REFUND}:4: This line holds an invisible character, U+2028" in checked.stdout
    target = tmp_path / "target"
    published = run_invoke(project, "publish", "--target", str(target), timeout=300)
    assert published.returncode == 1 and "Nothing was published" in published.stderr
    assert not target.exists()
