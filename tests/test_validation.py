"""Content mistakes: each stops the build with a clear message and loses nothing.

Every test builds the sample journal once with the real `pelican` command,
breaks one thing, builds again, and checks the exit code, the message and that
the last good output is still there, byte for byte.
"""

from __future__ import annotations

import pytest
from conftest import html, run_pelican

TRACKING = "content/entries/2022/2022-03-14-what-is-a-tracking-number-anyway.md"
REFUND = "content/entries/2022/2022-11-08-refund-by-friday.md"
ROSTER = "content/people.toml"


@pytest.mark.parametrize("field", ["Title", "Date", "Author"])
def test_missing_required_field(journal, field):
    line = next(
        line
        for line in (journal.root / REFUND).read_text().splitlines()
        if line.startswith(f"{field}: ")
    )
    journal.edit(REFUND, f"{line}\n", "")
    journal.fails_with(f"{REFUND}:1: The entry has no {field}.", f'Add a line "{field}: ..."')


def test_date_that_is_not_a_real_date(journal):
    journal.edit(REFUND, "Date: 2022-11-08 15:05", "Date: 2022-02-30")
    journal.fails_with(
        f'{REFUND}:2: Date "2022-02-30" is not a real date', "Check the day and month"
    )


def test_date_in_another_form(journal):
    journal.edit(REFUND, "Date: 2022-11-08 15:05", "Date: 8th of November")
    journal.fails_with(f'{REFUND}:2: Date "8th of November" is not in the form YYYY-MM-DD')


def test_author_not_on_the_roster(journal):
    journal.edit(REFUND, "Author: Ana Sousa", "Author: Anna Sousa")
    journal.fails_with(
        f'{REFUND}:3: Author "Anna Sousa" is not on the roster. Did you mean "Ana Sousa"?', ROSTER
    )


def test_channel_outside_the_list(journal):
    journal.edit(REFUND, "Channel: email", "Channel: fax")
    journal.fails_with(
        f'{REFUND}:5: Channel "fax" is not one we know. '
        "Use one of: phone, email, chat, in-person, other."
    )


def test_two_entries_with_the_same_slug(journal):
    journal.write(
        "content/entries/2024/again.md",
        "Title: Refund by Friday\nDate: 2024-05-01\n"
        "Author: Tom Okafor\n\nA second story with the same title.\n",
    )
    message = journal.fails_with(
        f'{REFUND}:1: Another entry has the same address "refund-by-friday": '
        "content/entries/2024/again.md"
    )
    assert "content/entries/2024/again.md:1: Another entry has the same address" in message


def test_roster_that_is_not_valid_toml(journal):
    journal.edit(ROSTER, 'name = "Tom Okafor"', 'name = "Tom Okafor')
    journal.fails_with(f"{ROSTER}:", "is not valid TOML")
    line = int(journal.fails_with().split(f"{ROSTER}:")[1].split(":")[0])
    text = (journal.root / ROSTER).read_text().splitlines()
    assert "Tom Okafor" in text[line - 1]


def test_roster_person_without_a_name(journal):
    journal.edit(ROSTER, 'name = "Marcus Reed"', "# the name was deleted")
    line = (journal.root / ROSTER).read_text().splitlines().index("# the name was deleted")
    journal.fails_with(f"{ROSTER}:{line}: This person has no name.")  # [[person]] is the line above


def test_roster_person_with_an_unknown_role(journal):
    journal.edit(
        ROSTER, 'name = "Ana Sousa"\nrole = "staff"', 'name = "Ana Sousa"\nrole = "manager"'
    )
    lines = (journal.root / ROSTER).read_text().splitlines()
    line = lines.index('name = "Ana Sousa"')  # 1-based: the [[person]] line just above
    journal.fails_with(
        f'{ROSTER}:{line}: The role is "manager". Write role = "staff" or role = "supervisor".'
    )


def test_file_that_is_not_utf8(journal):
    text = (journal.root / REFUND).read_text(encoding="utf-8").replace("coat", "caf\u00e9 coat")
    journal.write(REFUND, text.encode("latin-1"))
    line = text.splitlines().index(next(x for x in text.splitlines() if "caf\u00e9" in x)) + 1
    journal.fails_with(f"{REFUND}:{line}: This file is not saved as UTF-8 text.", "save it again")


def test_all_problems_are_reported_in_one_run(journal):
    journal.edit(REFUND, "Channel: email", "Channel: fax")
    journal.edit(TRACKING, "Date: 2022-03-14 10:20", "Date: 2022-13-14")
    journal.edit(ROSTER, 'role = "supervisor"', 'role = "boss"')
    message = journal.fails_with(REFUND, TRACKING, ROSTER, "Casebook found 3 problems")
    assert message.count("\n  content/") == 3


def test_a_file_that_is_not_an_entry_is_a_warning_not_an_error(journal):
    journal.write("content/entries/2024/notes.txt", "just some notes")
    result = journal.build()
    assert result.returncode == 0, result.stderr
    assert (
        "notes.txt" in result.stdout + result.stderr and "left out" in result.stdout + result.stderr
    )


def test_hidden_files_and_folders_are_not_content(journal):
    """Editors and tools leave hidden files beside the content, as Pelican skips them, so do the
    checks."""
    broken = "Title: half-saved\nDate: someday\n"
    journal.write("content/entries/2024/.2024-09-30-reading-back-the-order-number.md.swp", broken)
    journal.write("content/entries/.trash/2024-01-01-old.md", broken)
    journal.write("content/comments/refund-by-friday/.~lock.md", broken)
    result = journal.build()
    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr
    assert "half-saved" not in said and "left out" not in said and "ERROR" not in said


def test_a_good_build_replaces_the_output_and_drops_removed_entries(journal):
    stale = journal.output / "2024" / "09" / "reading-back-the-order-number" / "index.html"
    assert stale.exists()
    (journal.root / "content/entries/2024/2024-09-30-reading-back-the-order-number.md").unlink()
    result = journal.build()
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert (journal.output / "index.html").exists()


def test_a_first_build_that_fails_writes_nothing(project):
    entry = project / REFUND
    entry.write_text(entry.read_text().replace("Channel: email", "Channel: fax"))
    result = run_pelican(project / "content", project / "output", project)
    assert result.returncode == 1
    assert "Nothing was built." in result.stderr and "still holds" not in result.stderr
    assert not (project / "output").exists()
    assert [path.name for path in project.glob(".output*")] == [
        ".output.lock"
    ]  # empty: it only takes turns
    assert (project / ".output.lock").stat().st_size == 0


def test_a_wrong_casebook_setting_names_the_setting(project):
    result = run_pelican(
        project / "content", project / "output", project, "-e", 'CASEBOOK_CHANNELS="phone"'
    )
    assert result.returncode == 1
    assert (
        "pelicanconf.py: CASEBOOK_CHANNELS must be a list of one or more names; it is 'phone'."
        in result.stderr
    )
    assert "Traceback" not in result.stderr


# Look-alikes: one person, one tag, one page.


@pytest.mark.parametrize(
    "name, message",
    [
        ("ana sousa", '"ana sousa" looks the same as "Ana Sousa", already on the roster'),
        (
            "Ana\\u00a0Sousa",
            '"Ana\u00a0Sousa" looks the same as "Ana Sousa", already on the roster',
        ),
        (
            "Ana-Sousa",
            '"Ana-Sousa" and "Ana Sousa" would share one page, at the address "ana-sousa"',
        ),
        (
            "Ana\\u200b Sousa",
            'The name "Ana\u200b Sousa" holds an invisible character, U+200B (zero width space)',
        ),
        ("???", 'The name "???" has no letters or digits to make a web address from'),
    ],
)
def test_a_roster_name_that_looks_like_another_or_makes_no_address(journal, name, message):
    roster = (journal.root / ROSTER).read_text()
    journal.write(ROSTER, f'{roster}\n[[person]]\nname = "{name}"\nrole = "staff"\n')
    line = len((journal.root / ROSTER).read_text().splitlines()) - 2  # its [[person]] line
    journal.fails_with(f"{ROSTER}:{line}: {message}")


def test_tags_that_are_different_words_never_share_a_page(journal):
    journal.edit(REFUND, "Tags: refunds, deadlines, escalation", "Tags: C++, C, C#")
    journal.edit(
        TRACKING, "Tags: parcels, anxious caller, jargon", "Tags: Refunds, !!!, Parcels, parcels"
    )
    message = journal.fails_with(
        f'{REFUND}:4: The tag "C" and the tag "C++" in {REFUND} would share one page, at the '
        'address "c".',
        f'{REFUND}:4: The tag "C#" and the tag "C++" in {REFUND} would share one page',
        f'{TRACKING}:4: The tag "!!!" has no letters or digits to make a web address from.',
    )
    assert (
        "Parcels" not in message
    )  # one tag spelt two ways: a warning (test_tags.py), not a refusal


# Content that stopped the build with a traceback instead of a message.


def test_a_control_character_in_a_title_or_the_text(journal):
    journal.edit(REFUND, "Title: Refund by Friday", "Title: Refund by\x07 Friday")
    journal.edit(TRACKING, "## Lessons learned", "## Lessons\x1b learned")
    line = (journal.root / TRACKING).read_text().splitlines().index("## Lessons\x1b learned") + 1
    journal.fails_with(
        f"{REFUND}:1: This line holds an invisible character, U+0007 (a control character)",
        f"{TRACKING}:{line}: This line holds an invisible character, U+001B",
    )


NEW = "content/entries/2024/new.md"


def new_entry(title: str) -> str:
    return f"Title: {title}\nDate: 2024-05-01\nAuthor: Tom Okafor\n\n## Lessons learned\n\n- One.\n"


def test_a_title_too_long_for_a_file_name(journal):
    title = "The caller who " + "waited and waited " * 16
    journal.write(NEW, new_entry(title))
    length = len("the-caller-who") + 16 * len("-waited-and-waited")
    journal.fails_with(
        f'{NEW}:1: The title "{title.strip()}" makes a web address of {length} characters, '
        'and at most 200 fit in a file name. Add a line "Slug: ..."'
    )


def test_a_title_of_emoji_only(journal):
    journal.write(NEW, new_entry("\U0001f4b8\u23f0"))
    journal.fails_with(
        f'{NEW}:1: The title "\U0001f4b8\u23f0" has no letters or digits to make a web address '
        'from. Add a line "Slug: ..."'
    )


@pytest.mark.parametrize(
    "where, nested",
    [
        (REFUND, "".join(f"{'    ' * level}- level {level + 1}\n" for level in range(25))),
        (
            "content/comments/refund-by-friday/tom-okafor.md",
            "> " * 30 + "an e-mail thread quoted thirty times\n",
        ),
    ],
)
def test_absurd_nesting(journal, where, nested):
    text = f"{(journal.root / where).read_text()}\n{nested}"
    journal.write(where, text)
    first_too_deep = next(
        number
        for number, line in enumerate(text.splitlines(), 1)
        if line.startswith(("    " * 20, "> " * 21))
    )
    journal.fails_with(f"{where}:{first_too_deep}: This line is nested more than 20 levels deep")


def test_the_deepest_nesting_allowed_builds_and_code_is_not_nesting(journal):
    """20 levels (lists in quotes in lists) build; indentation in fenced code and a long rule are
    not levels."""
    lists = "".join(f"{'    ' * level}- level {level + 1}\n" for level in range(10))
    quoted = "".join(f"{'    ' * 10}{'> ' * 9}- quoted {level}\n" for level in range(3))
    code = "```yaml\n" + "".join(f"{'  ' * level}- key{level}:\n" for level in range(60)) + "```\n"
    rule = "- " * 30 + "-\n"
    journal.write(NEW, f"{new_entry('Deep but fine')}\n{lists}\n{quoted}\n{code}\n{rule}")
    result = journal.build()
    assert result.returncode == 0, result.stderr
    page = html(journal.output / "2024/05/deep-but-fine/index.html")
    assert len(page.select("article ul ul ul ul ul ul ul ul ul ul blockquote")) > 0
    assert "key59" in page.select_one("pre").get_text()


# Guide pages: checked like entries, at an address of their own.

PAGE = "content/pages/how-to-write-an-entry.md"


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "Slug: how-to-write-an-entry",
            "Slug: archive",
            '2: The address "archive" is taken by the site itself (/archive/).',
        ),
        (
            "Slug: how-to-write-an-entry",
            "Slug: 2024",
            '2: The address "2024" is taken by the site itself',
        ),
        (
            "Slug: how-to-write-an-entry",
            "Slug: how-to-write-an-entry\nTemplate: index",
            '3: "Template" is not a field of this guide page.',
        ),
        (
            "Slug: how-to-write-an-entry",
            "Slug: ../index",
            '2: Slug "../index" can only hold lower-case letters',
        ),
    ],
)
def test_a_guide_page_with_a_mistake(journal, old, new, message):
    journal.edit(PAGE, old, new)
    journal.fails_with(f"{PAGE}:{message}")


def test_a_guide_page_smuggling_a_field_fails_the_build(journal):
    journal.edit(
        PAGE,
        "Slug: how-to-write-an-entry",
        "Slug: how-to-write-an-entry\u2028\nSave_as: index.html",
    )
    journal.fails_with(f"{PAGE}:2: This line holds an invisible character, U+2028")


def test_two_guide_pages_with_one_address(journal):
    journal.write("content/pages/again.md", "Title: How to write an entry\n\nThe same address.\n")
    journal.fails_with(
        'content/pages/again.md:1: Another guide page has the same address "how-to-write-an-entry"'
    )
