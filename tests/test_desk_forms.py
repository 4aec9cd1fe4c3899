"""The writing desk's forms, alone: the file a form becomes and where each message goes."""

from __future__ import annotations

import datetime
from pathlib import Path

from pelican.plugins.casebook.content.headers import parse_header
from pelican.plugins.casebook.problems import Problem
from pelican.plugins.casebook.tools.authoring import entry_text
from pelican.plugins.casebook.tools.desk import add_reply_links, insert_before
from pelican.plugins.casebook.tools.desk.forms import (
    FORM,
    TEXT,
    CommentForm,
    EntryForm,
    Messages,
    by_field,
)

NOW = datetime.datetime(2026, 3, 3, 9, 30)
PATH = Path("content/entries/2026/2026-03-03-x.md")


def test_a_new_entry_form_becomes_the_file_invoke_new_writes():
    form = EntryForm.blank(NOW)
    typed = {"title": "Refund by Friday", "author": "Ana Sousa", "tags": "refunds, deadlines"}
    posted = EntryForm.posted(lambda name: {**form.__dict__, **typed, "channel": "email"}[name])
    assert posted.file_text(draft=False) == entry_text(
        "Refund by Friday", "Ana Sousa", "refunds, deadlines", "email", NOW
    )


def test_a_form_takes_no_slug_or_status_from_the_request_and_keeps_fields_on_one_line():
    sent = {"title": "Two\r\nlines", "slug": "../../etc", "status": "draft", "text": "a\r\nb"}
    form = EntryForm.posted(lambda name: sent.get(name, ""))
    assert (form.title, form.slug, form.status, form.text) == ("Two lines", "", "", "a\nb")
    assert "Status: draft\n" in form.file_text(draft=True)
    assert "Status" not in form.file_text(draft=False)


def test_an_edited_file_gives_back_its_fields_and_text():
    text = "Title: T\nDate: 2026-03-03\nAuthor: A\nSlug: kept\n\n## What happened\n\nIt did.\n"
    header, _ = parse_header(PATH, text)
    form = EntryForm.of_file(header, text)
    assert (form.title, form.slug, form.text) == ("T", "kept", "## What happened\n\nIt did.\n")
    assert form.file_text(draft=False) == text


def test_each_message_goes_next_to_the_field_its_line_holds():
    text = "Date: 2026-02-30\nAuthor: Ana\n\nBody line\n"
    problems = [
        Problem(PATH, 1, 'The entry has no Title. Add a line "Title: ..." to the header.'),
        Problem(PATH, 1, 'Date "2026-02-30" is not a real date.'),
        Problem(PATH, 2, 'Author "Ana" is not on the roster.'),
        Problem(PATH, 4, "This line holds an invisible character."),
        Problem(PATH, None, "The folder matches no entry."),
    ]
    placed = by_field(PATH, text, problems)
    assert sorted(placed) == sorted(["title", "date", "author", TEXT, FORM])
    assert placed["date"] == ['Date "2026-02-30" is not a real date.']


def test_warnings_hold_a_save_once_errors_always():
    warned = Messages({}, {"tags": ["written another way"]})
    assert warned.holds("") and not warned.holds(warned.digest)
    assert Messages({"date": ["bad"]}, {}).holds(warned.digest)
    assert not Messages({}, {}).holds("")


def test_a_comment_form_becomes_the_file_invoke_comment_writes():
    sent = {"author": "Julie Hill", "text": "Well done.\r\n", "replyto": "tom-okafor"}
    form = CommentForm.posted(lambda name: {**sent, "endorse": "yes"}.get(name, ""))
    assert form.file_text(NOW) == (
        "Author: Julie Hill\nDate: 2026-03-03 09:30\nEndorsement: yes\nReplyto: tom-okafor\n\n"
        "Well done.\n"
    )
    assert (
        CommentForm("Tom Okafor").file_text(NOW) == "Author: Tom Okafor\nDate: 2026-03-03 09:30\n\n"
    )


def test_links_are_added_where_the_page_has_room_for_them_and_nowhere_else():
    page = b'<nav aria-label="Main"><ul><li>a</li></ul></nav><main>x</main>'
    assert insert_before(page, b"</ul>", b"<li>W</li>", after=b'<nav aria-label="Main">') == (
        b'<nav aria-label="Main"><ul><li>a</li><li>W</li></ul></nav><main>x</main>'
    )
    assert (
        insert_before(b"<p>no nav</p>", b"</ul>", b"<li>W</li>", after=b"<nav") == b"<p>no nav</p>"
    )
    comments = (
        b'<article class="comment" id="comment-a">A</article>'
        b'<article class="comment comment-supervisor" id="comment-b">B</article>'
    )
    added = add_reply_links(comments, "entry").decode()
    assert added.count("Reply to this comment") == 2
    assert '/write/entry/comment/?replyto=b">' in added
    assert added.index("replyto=a") < added.index('id="comment-b"')
