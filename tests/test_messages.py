"""Messages a writer reads: each says what is wrong and the fix, in the words of the command they
ran."""

from __future__ import annotations

from conftest import html, run_invoke

REFUND = "content/entries/2022/2022-11-08-refund-by-friday.md"
NO_TRACE = ("Traceback", "did not receive", "No idea what")


def refused(result, *expected: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    assert not any(trace in result.stderr for trace in NO_TRACE), result.stderr
    return result.stderr


def test_an_unknown_field_is_not_an_entry_field(journal):
    journal.edit(REFUND, "Channel: email", "Channel: email\nMood: tense")
    journal.fails_with(f'{REFUND}:6: "Mood" is not a field of this entry.')


def test_an_empty_title_is_reported_once_not_also_as_a_comment_on_no_entry(journal):
    journal.edit(REFUND, "Title: Refund by Friday", "Title:")
    message = journal.fails_with(f"{REFUND}:1: The entry has no Title.")
    assert "matches no entry" not in message and "Casebook found 1 problem" in message


def test_new_suggests_the_roster_name_and_the_channel(project):
    before = sorted(project.rglob("*.md"))
    refused(
        run_invoke(project, "new", "Some call", "--author", "ana sousa", "--channel", "Phnoe"),
        'Author "ana sousa" is not on the roster. Did you mean "Ana Sousa"?',
        'Channel "Phnoe" is not one we know. Did you mean "phone"?',
    )
    assert sorted(project.rglob("*.md")) == before


def test_comment_suggests_the_roster_name(project):
    refused(
        run_invoke(project, "comment", "refund-by-friday", "--author", "julie hill"),
        'Did you mean "Julie Hill"?',
    )


def test_new_and_comment_without_an_author_say_how_to_give_one(project):
    for command in (["new", "Some call"], ["comment", "refund-by-friday"]):
        refused(
            run_invoke(project, *command), 'Say who you are with --author "Your Name"', "Julie Hill"
        )


def test_staff_asking_to_endorse_are_told_to_leave_out_endorse(project):
    before = sorted(project.rglob("*.md"))
    refused(
        run_invoke(project, "comment", "refund-by-friday", "--author", "Priya Nair", "--endorse"),
        "Only supervisors can endorse an entry, and Priya Nair is staff.",
        "--endorse",
    )
    assert sorted(project.rglob("*.md")) == before


def test_an_endorsement_with_no_text_yet_does_not_count(project):
    assert (
        run_invoke(
            project, "comment", "silence-on-the-line", "--author", "Julie Hill", "--endorse"
        ).returncode
        == 0
    )
    built = run_invoke(project, "build")
    assert built.returncode == 0, built.stderr
    [comment] = project.glob("content/comments/silence-on-the-line/*.md")
    path = str(comment.relative_to(project))
    # One whole line, however long: a writer copies the path from it.
    assert any(
        line.startswith("WARNING")
        and f"{path}: This comment has no text yet" in line
        and line.endswith("Its endorsement counts once it says why.")
        for line in built.stdout.splitlines()
    )
    [page] = project.glob("output/*/*/silence-on-the-line/index.html")
    assert (
        "Silence on the line" not in html(project / "output" / "endorsed" / "index.html").get_text()
    )
    # The entry itself (its header and comments), not the entries listed under "Read next".
    assert not html(page).select("article.entry .endorsed, article.entry .badge-endorsed")
    assert not html(page).select("#comments .badge-endorsed")
