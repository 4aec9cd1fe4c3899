"""content/comments.py alone: the checks of comments and endorsements, and their threads.

Nothing is built or written: headers are parsed in memory. Also the test file for the mutation run
of comments.py (docs/mutation.md).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from pelican.plugins.casebook.content.comments import (
    Comment,
    Discussion,
    check_comment,
    check_comment_files,
    comment_slug,
    discussion,
    endorses,
    group_by_folder,
    reply_loops,
)
from pelican.plugins.casebook.content.headers import parse_header
from pelican.plugins.casebook.content.people import Person, Roster

PEOPLE = {
    "Julie Hill": Person("Julie Hill", "supervisor"),
    "Omar Haddad": Person("Omar Haddad", "supervisor"),
    "Ana Sousa": Person("Ana Sousa", "staff"),
}
ROSTER = Roster(Path("content/people.toml"), PEOPLE, frozenset(PEOPLE) | {"Kim Broken"})
ENTRY = parse_header(
    Path("content/entries/2024/refund.md"),
    "Title: Refund\nDate: 2024-01-01\nAuthor: Omar Haddad\n\nText\n",
)[0]
FIELDS_LINE = 3  # the first line after Author and Date


def comment(name: str, *lines: str, author="Julie Hill", date="2024-01-02", text="Thanks.\n"):
    header = "".join(f"{line}\n" for line in (f"Author: {author}", f"Date: {date}", *lines))
    return parse_header(Path(f"content/comments/refund/{name}.md"), f"{header}\n{text}")[0]


def problems_of(header, entry=ENTRY, siblings=(), roster=ROSTER):
    found = check_comment(header, entry, {comment_slug(header), *siblings}, roster)
    assert all(problem.path == header.path for problem in found)
    return [(problem.line, problem.message) for problem in found]


def test_a_good_comment_and_a_supervisors_endorsement_have_no_problem():
    assert problems_of(comment("julie-hill")) == []
    assert problems_of(comment("julie-hill", "Endorsement: yes")) == []
    assert problems_of(comment("julie-hill", "Endorsement: no")) == []
    assert problems_of(comment("julie-hill", "Endorsement: Yes")) == []


def test_a_comment_is_checked_as_a_comment():
    header = parse_header(Path("content/comments/refund/a.md"), "Tags: x\n\nText\n")[0]
    assert problems_of(header) == [
        (
            1,
            f'The comment has no {name}. Add a line "{name}: ..." to the header at the top of the '
            "file (before the first blank line).",
        )
        for name in ("Author", "Date")
    ] + [
        (
            1,
            '"Tags" is not a field of this comment. The fields are Author, Date, Endorsement, '
            "Replyto, Slug. If this line is part of the text, leave a blank line above it.",
        )
    ]
    header = comment("a", author="Nobody Here", date="2024-13-01")
    assert [line for line, _ in problems_of(header)] == [2, 1]


def test_a_comments_address_is_its_slug_or_else_its_file_name():
    assert comment_slug(comment("julie-hill-2")) == "julie-hill-2"
    assert comment_slug(comment("julie-hill-2", "Slug: thanks")) == "thanks"


def test_an_address_that_is_not_a_slug_is_refused_on_the_slug_line_or_the_file():
    message = (
        'The comment\'s address "{}" (its Slug, or else its file name) can only hold lower-case '
        "letters, digits and hyphens. Rename the file, or set a Slug such as julie-hill-1."
    )
    assert problems_of(comment("Julie Hill")) == [(None, message.format("Julie Hill"))]
    assert problems_of(comment("julie", "Slug: Julie_1")) == [(3, message.format("Julie_1"))]
    assert problems_of(comment("Julie Hill", "Slug: julie-1")) == []


@pytest.mark.parametrize("value", ["yse", "y", "true", "endorsed"])
def test_a_mistyped_endorsement_is_refused_and_is_not_an_endorsement(value):
    header = comment("julie-hill", f"Endorsement: {value}")
    assert not endorses(header)
    assert problems_of(header) == [
        (FIELDS_LINE, f'Endorsement "{value}" must be "yes" (or the line left out).')
    ]


def test_yes_in_any_case_endorses_and_no_does_not():
    assert endorses(comment("a", "Endorsement: YES")) and endorses(comment("a", "Endorsement: yes"))
    assert not endorses(comment("a", "Endorsement: no")) and not endorses(comment("a"))


def test_only_a_supervisor_may_endorse():
    assert problems_of(comment("ana-sousa", "Endorsement: yes", author="Ana Sousa")) == [
        (
            FIELDS_LINE,
            "Only supervisors can endorse an entry, and Ana Sousa is staff. Leave the endorsement "
            "out (the Endorsement line, or --endorse), or ask a supervisor to endorse the entry.",
        )
    ]
    # Someone listed whose roster entry has a mistake, or a roster that could not be read: that
    # was reported already.
    assert problems_of(comment("kim", "Endorsement: yes", author="Kim Broken")) == []
    header = comment("ana-sousa", "Endorsement: yes", author="Ana Sousa")
    assert problems_of(header, roster=None) == []


def test_nobody_endorses_their_own_entry():
    header = comment("omar-haddad", "Endorsement: yes", author="Omar Haddad")
    assert problems_of(header) == [
        (
            FIELDS_LINE,
            "Omar Haddad wrote this entry and cannot endorse it. Leave the endorsement out (the "
            "Endorsement line, or --endorse); another supervisor may endorse it.",
        )
    ]
    assert problems_of(header, entry=None) == []
    assert problems_of(comment("omar-haddad", author="Omar Haddad")) == []


def test_a_reply_must_name_another_comment_beside_it():
    reply = comment("ana-sousa", "Replyto: julie-hil", author="Ana Sousa")
    assert problems_of(reply, siblings={"julie-hill", "omar"}) == [
        (
            FIELDS_LINE,
            'Replyto "julie-hil" names no other comment on this entry. Did you mean "julie-hill"? '
            "Write the file name (without .md) of the comment you reply to, from the same folder.",
        )
    ]
    assert problems_of(comment("ana", "Replyto: zzz", author="Ana Sousa"), siblings={"julie"}) == [
        (
            FIELDS_LINE,
            'Replyto "zzz" names no other comment on this entry. Write the file name (without .md) '
            "of the comment you reply to, from the same folder.",
        )
    ]
    assert problems_of(reply, siblings={"julie-hil"}) == []
    itself = comment("ana-sousa", "Replyto: ana-sousa", author="Ana Sousa")
    assert [line for line, _ in problems_of(itself, siblings={"ana-sousa-2"})] == [FIELDS_LINE]
    assert "Did you mean" in problems_of(itself, siblings={"ana-sousa-2"})[0][1]


def test_a_folder_matching_no_entry_is_named_with_a_guess():
    headers = [comment("a"), comment("b")]
    problems = check_comment_files(headers, "refnd", {"refund": ENTRY}, ROSTER)
    assert [(p.path.stem, p.line, p.message) for p in problems] == [
        (
            stem,
            None,
            'The folder "refnd" matches no entry. Did you mean "refund"? A comment goes in a '
            "folder named after its entry's address (the last part of its web address, for "
            "example refund-by-friday). If the entry's title changed, keep its old address with "
            'a line "Slug: refnd" in the entry.',
        )
        for stem in ("a", "b")
    ]
    problems = check_comment_files(headers, "zzzz", {"refund": ENTRY}, ROSTER)
    assert [p.message.split(" A comment")[0] for p in problems] == [
        'The folder "zzzz" matches no entry.'
    ] * 2
    # While an entry has no address yet (already reported), the folder may be its own.
    assert check_comment_files(headers, "refnd", {"refund": ENTRY}, ROSTER, False) == []


def test_a_draft_takes_no_comments():
    draft = parse_header(ENTRY.path, "Title: Refund\nStatus: draft\n\nText\n")[0]
    problems = check_comment_files([comment("a")], "refund", {"refund": draft}, ROSTER)
    assert [(p.path.stem, p.line, p.message) for p in problems] == [
        (
            "a",
            None,
            'The entry "refund" is a draft, and drafts take no comments. Keep the comment until '
            "the entry is published.",
        )
    ]


def test_each_comment_of_a_folder_is_checked_against_its_entry_and_its_siblings():
    headers = [
        comment("julie-hill"),
        comment("omar-haddad", "Endorsement: yes", author="Omar Haddad"),
        comment("ana-sousa", "Replyto: julie-hill", author="Ana Sousa"),
    ]
    problems = check_comment_files(headers, "refund", {"refund": ENTRY}, ROSTER)
    assert [(p.path.stem, p.message.split(" ")[2]) for p in problems] == [("omar-haddad", "wrote")]


def test_two_comments_with_one_address_are_both_refused():
    headers = [comment("julie-hill"), comment("julie-hill-2", "Slug: julie-hill"), comment("c")]
    problems = check_comment_files(headers, "refund", {"refund": ENTRY}, ROSTER)
    assert [(p.path.stem, p.line, p.message) for p in problems] == [
        (
            "julie-hill",
            None,
            'Another comment on this entry has the address "julie-hill". Give one of them a '
            "different Slug.",
        ),
        (
            "julie-hill-2",
            FIELDS_LINE,
            'Another comment on this entry has the address "julie-hill". Give one of them a '
            "different Slug.",
        ),
    ]


def loop_lines(*headers) -> list[tuple[str, int | None]]:
    return [(problem.path.stem, problem.line) for problem in reply_loops(list(headers))]


def test_replies_answering_each_other_in_a_circle_are_each_refused():
    a, b = comment("a", "Replyto: b"), comment("b", "Replyto: a")
    assert loop_lines(a, b) == [("a", FIELDS_LINE), ("b", FIELDS_LINE)]
    assert reply_loops([a, b])[0].message == (
        "These replies answer each other in a circle, so none of them can be shown. One of them "
        "must not be a reply."
    )
    c = comment("c", "Replyto: a")  # answers the circle without being part of it
    three = [comment("x", "Replyto: z"), comment("y", "Replyto: x"), comment("z", "Replyto: y")]
    assert loop_lines(*three, c) == [("x", FIELDS_LINE), ("y", FIELDS_LINE), ("z", FIELDS_LINE)]
    assert loop_lines(comment("self", "Replyto: self")) == [("self", FIELDS_LINE)]


def test_a_chain_of_replies_is_no_circle():
    chain = [comment("a"), comment("b", "Replyto: a"), comment("c", "Replyto: b")]
    assert reply_loops(chain) == []
    assert loop_lines(comment("d", "Replyto: gone")) == []
    problems = check_comment_files(
        [comment("a", "Replyto: b"), comment("b", "Replyto: a")],
        "refund",
        {"refund": ENTRY},
        ROSTER,
    )
    assert [p.path.stem for p in problems] == ["a", "b"]


def thread_of(headers) -> Discussion:
    return discussion(headers, ROSTER, render=lambda path: f"<p>{path.stem}</p>", timezone=zoned)


def zoned(date: datetime.datetime) -> datetime.datetime:
    return date.replace(tzinfo=datetime.UTC)


def test_comments_are_threaded_by_reply_in_date_then_address_order():
    thread = thread_of(
        [
            comment("d", "Replyto: b", date="2024-01-05"),
            comment("c", "Replyto: b", date="2024-01-04"),
            comment("b", date="2024-01-02 10:00"),
            comment("a", date="2024-01-02 10:00"),
            comment("e", "Replyto: c", date="2024-01-06"),
        ]
    )
    assert [(c.slug, [r.slug for r in c.replies]) for c in thread.threads] == [
        ("a", []),
        ("b", ["c", "d"]),
    ]
    assert [r.slug for r in thread.threads[1].replies[0].replies] == ["e"]
    assert thread.count == 5
    first = thread.threads[0]
    assert first.date == datetime.datetime(2024, 1, 2, 10, tzinfo=datetime.UTC)
    assert first.author == PEOPLE["Julie Hill"] and first.reply_to == ""
    assert first.anchor == "comment-a" and first.html == "<p>a</p>"
    assert first.source == Path("content/comments/refund/a.md")


def test_endorsements_in_date_order_count_only_with_text():
    thread = thread_of(
        [
            comment("late", "Endorsement: yes", date="2024-02-01", author="Omar Haddad"),
            comment("middle", "Endorsement: yes", date="2024-01-15"),
            comment("early", "Endorsement: yes", date="2024-01-01"),
            comment("empty", "Endorsement: yes", date="2024-03-01", text=""),
            comment("plain", date="2024-04-01"),
            comment("no", "Endorsement: no", date="2024-04-01"),
        ]
    )
    assert [c.slug for c in thread.endorsements] == ["early", "middle", "late"]
    assert [c.endorses for c in thread.threads] == [True, True, True, False, False, False]
    assert thread.last_endorsed == datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)
    assert thread_of([comment("plain")]).last_endorsed is None
    assert thread_of([]) == Discussion([], 0, [])


def test_a_comment_is_drawn_only_when_shown():
    drawn = []
    one = Comment("a", PEOPLE["Julie Hill"], None, False, "", Path("a.md"), drawn.append)
    assert drawn == [] and one.replies == []
    one.html  # noqa: B018
    assert drawn == [Path("a.md")]
    assert "render" not in repr(one)
    # One for each comment of the journal, kept through the build: no dictionary each.
    assert not hasattr(one, "__dict__") and not hasattr(Discussion([], 0, []), "__dict__")


def test_comment_files_are_grouped_by_their_entrys_folder():
    root = Path("content/comments")
    headers = [
        comment("a"),
        parse_header(root / "other" / "b.md", "Author: A\n")[0],
        comment("c"),
    ]
    folders = group_by_folder(headers, root)
    assert {name: [h.path.stem for h in found] for name, found in folders.items()} == {
        "refund": ["a", "c"],
        "other": ["b"],
    }
    assert group_by_folder([], root) == {} and folders["nothing"] == []
