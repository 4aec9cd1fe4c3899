"""`invoke import`: Blogger (classic and Takeout) and WordPress exports become entries and comments
that build.

The exports in tests/exports/ are written after real ones: Blogger's classic Atom backup
(kind categories, app:draft, thr:in-reply-to, a related link for replies, a deleted
comment), Google Takeout's feed.atom (blogger:type/status/parent/inReplyTo/filename) and
WordPress's WXR 1.2 (CDATA, wp:status, wp:comment_approved and comment_parent, classic and
block editor posts). Each test imports into a copy of the project, as a user would.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build, html, run_invoke, snapshot
from pelican.plugins.casebook.tools.importing.html_to_markdown import markdown_of
from pelican.settings import read_settings
from test_comments import comment_tree

EXPORTS = ROOT / "tests" / "exports"
SAM = (
    "--author",
    "Sam Carter=Marcus Reed",
)  # the one name in the exports that is not on the roster
CONTRACT_SLUG = "the-caller-who-read-me-his-contract"
CONTRACT = f"content/entries/2023/2023-03-14-{CONTRACT_SLUG}.md"
CONTRACT_COMMENTS = f"content/comments/{CONTRACT_SLUG}"
PARCEL_COMMENTS = "content/comments/the-parcel-that-was-signed-for-twice"


def import_export(project: Path, export: str | Path, *arguments: str):
    return run_invoke(project, "import", str(EXPORTS / export), *arguments)


def imported(project: Path, export: str, arguments: tuple[str, ...], summary: str) -> None:
    result = import_export(project, export, *arguments)
    assert result.returncode == 0, result.stderr
    assert summary in result.stdout


def read(project: Path, relative: str) -> str:
    return (project / relative).read_text(encoding="utf-8")


def journal(project: Path) -> tuple[list[str], dict[str, bytes]]:
    """Every folder and file of content/, to prove an import left it exactly as it was."""
    content = project / "content"
    return sorted(str(path.relative_to(content)) for path in content.rglob("*")), snapshot(content)


def body(text: str) -> str:
    return text.split("\n\n", 1)[1]


def assert_clean_markdown(text: str) -> None:
    """No HTML tag, entity or style left over from the export."""
    for leftover in (
        "<div",
        "<span",
        "<br",
        "<p>",
        "</",
        "&nbsp;",
        "&amp;",
        "&#",
        "style=",
        "font-family",
    ):
        assert leftover not in text, f"{leftover!r} left in:\n{text}"


def written_export(tmp_path: Path, export: str, *replacements: tuple[str, str]) -> Path:
    """A copy of an export with some text replaced: a variant of a real file."""
    text = (EXPORTS / export).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / export
    path.write_text(text, encoding="utf-8")
    return path


# The three formats, imported and built.


def test_a_blogger_export_becomes_entries_and_comments_that_build(project, tmp_path):
    imported(
        project,
        "blogger.xml",
        SAM,
        "is a Blogger export.\nImported 2 posts, 1 draft and 2 comments.\n"
        "Not imported, as they were not published there or are not journal entries: deleted "
        "comment (1), "
        "page (1), settings (2), template (1), unpublished comment (1).",
    )

    contract = read(project, CONTRACT)
    assert contract.startswith(
        "Title: The caller who read me his whole contract\n"
        "Date: 2023-03-14 16:05\n"  # 09:05 at -07:00 is 16:05 in London (GMT in March)
        "Author: Julie Hill\nTags: contracts, phone\n"
        "Slug: the-caller-who-read-me-his-contract\n\n"
    )
    assert (
        "Caller: Clause four says you must reply within five days.\n"
        "Me: It does. Your letter reached us on Monday.\n"
        "Caller: So I get an answer by *Saturday*?\n"
        "Me: By Friday, and I will ring you myself.\n\n"
    ) in contract
    assert "He rang at nine and **started reading** his contract aloud" in contract
    assert "> Read the clause back slowly; the caller relaxes." in contract
    assert "The [terms page](https://example.com/terms#clause-4) has the wording." in contract
    assert (
        "### Lessons learned\n\n- Let the caller finish the clause before answering it.\n"
        in contract
    )
    assert_clean_markdown(body(contract))

    chat = read(project, "content/entries/2023/2023-07-02-a-chat-that-went-quiet.md")
    assert (
        "Date: 2023-07-02 14:30\nAuthor: Marcus Reed\nTags: chat\nSlug: a-chat-that-went-quiet\n"
        in chat
    )
    assert "They had gone to find the order number & came back with it." in chat
    draft = read(project, "content/entries/2023/2023-07-20-notes-for-later.md")
    assert "Author: Priya Nair\nTags: phone\nSlug: notes-for-later\nStatus: draft\n" in draft

    tom, julie = sorted((project / CONTRACT_COMMENTS).iterdir())
    assert tom.read_text() == (
        "Author: Tom Okafor\nDate: 2023-03-15 17:00\n\n"
        "Reading the clause back is the lesson.\nSharing this with the team.\n"
    )
    assert julie.read_text() == (
        f"Author: Julie Hill\nDate: 2023-03-15 18:30\nReplyto: {tom.stem}\n\n"
        "Thanks, Tom. I will show the *new starters*.\n"
    )

    site = build(project / "content", tmp_path / "site")
    page = html(site / "2023/03/the-caller-who-read-me-his-contract/index.html")
    transcript = next(p for p in page.select(".entry-body p") if "Clause four" in p.get_text())
    assert len(transcript.find_all("br")) == 3
    assert comment_tree(page.select_one("ol.comment-list")) == [
        ("Tom Okafor", [("Julie Hill", [])])
    ]
    assert "endorse" not in page.select_one("section#comments").get_text().lower()
    assert [li.get_text(" ", strip=True) for li in page.select("li.lesson")] == [
        "Let the caller finish the clause before answering it.",
        'Say the date you will call back, not "soon".',
    ]
    assert (site / "tags/contracts/index.html").exists()
    assert (site / "drafts/notes-for-later/index.html").exists()
    assert not (site / "2023/07/notes-for-later").exists()


def test_a_google_takeout_blogger_export_becomes_entries_and_comments_that_build(project, tmp_path):
    imported(
        project,
        "takeout-feed.atom",
        (),
        "is a Blogger export (Google Takeout).\n"
        "Imported 1 post, 1 draft and 3 comments.\nNot imported, as they were not published there "
        "or are not "
        "journal entries: deleted comment (1), page (1), spam comment (1), trashed post (1).",
    )

    parcel = read(
        project, "content/entries/2024/2024-10-03-the-parcel-that-was-signed-for-twice.md"
    )
    assert parcel.startswith(
        "Title: The parcel that was signed for twice\nDate: 2024-10-03 09:45\n"
        "Author: Priya Nair\nTags: courier, claims\n"
        "Slug: the-parcel-that-was-signed-for-twice\n\n"
        "Customer: It says I signed for it.\nMe: I can see two signatures.\n"
        "Customer: Neither is mine.\n\nWe opened a claim with the courier the same day.\n"
    )
    assert_clean_markdown(body(parcel))
    assert "Status: draft" in read(project, "content/entries/2024/2024-11-01-ideas-for-the-rota.md")
    assert not list(project.glob("content/entries/*/*old-rota*"))  # trashed there

    julie, priya, tom = sorted((project / PARCEL_COMMENTS).iterdir())
    assert f"Replyto: {julie.stem}\n" in priya.read_text()
    assert "Replyto" not in tom.read_text()  # it answered the spam comment, which is not imported
    assert "Buy followers" not in "".join(
        path.read_text() for path in (project / PARCEL_COMMENTS).iterdir()
    )

    site = build(project / "content", tmp_path / "site")
    page = html(site / "2024/10/the-parcel-that-was-signed-for-twice/index.html")
    assert comment_tree(page.select_one("ol.comment-list")) == [
        ("Julie Hill", [("Priya Nair", [])]),
        ("Tom Okafor", []),
    ]
    assert len(page.select_one(".entry-body p").find_all("br")) == 2


def test_a_wordpress_export_becomes_entries_and_comments_that_build(project, tmp_path):
    imported(
        project,
        "wordpress.xml",
        SAM,
        "is a WordPress export.\nImported 2 posts, 1 draft and 2 comments.\n"
        "Not imported, as they were not published there or are not journal entries: attachment "
        "(1), page (1), "
        "pending comment (1), pending post (1), pingback (1), spam comment (1), trashed comment "
        "(1).",
    )

    charge = read(project, "content/entries/2024/2024-02-13-the-double-charge.md")
    assert charge.startswith(
        "Title: The double charge that wasn’t\nDate: 2024-02-13 16:20\nAuthor: Julie Hill\n"
        "Tags: Billing, refunds\nSlug: the-double-charge\n\n"
    )
    # Typed in WordPress's classic editor: its newlines are line breaks, its blank lines paragraphs.
    assert (
        "\n\nCustomer: There are two of them, look.\nMe: One is the hold, the other the payment.\n"
        "Customer: So which one do I keep?\n\n**The hold drops off** after five working days"
    ) in charge
    assert_clean_markdown(body(charge))
    line = read(project, "content/entries/2024/2024-06-10-when-the-line-went-dead.md")
    assert (
        "Date: 2024-06-10 08:45\nAuthor: Marcus Reed\nTags: phone\n" in line
    )  # "Uncategorized" is no label
    assert "The call dropped mid-sentence.\nI rang back within a minute" in line
    assert "> “You actually called back!”" in line
    draft = read(project, "content/entries/2024/2024-04-20-half-an-idea.md")
    assert (
        "Date: 2024-04-20 15:10\nAuthor: Julie Hill\nSlug: half-an-idea\nStatus: draft\n" in draft
    )

    tom, julie = sorted((project / "content/comments/the-double-charge").iterdir())
    assert tom.read_text().endswith(
        "\n\nWriting the date down is the bit I'll borrow.\nThanks, Julie.\n"
    )
    assert julie.read_text() == (
        f"Author: Julie Hill\nDate: 2024-02-14 10:05\nReplyto: {tom.stem}\n\n"
        "Please do – it saved a second call.\n"
    )

    site = build(project / "content", tmp_path / "site")
    page = html(site / "2024/02/the-double-charge/index.html")
    assert comment_tree(page.select_one("ol.comment-list")) == [
        ("Tom Okafor", [("Julie Hill", [])])
    ]
    assert [li.get_text(strip=True) for li in page.select("li.lesson")] == [
        "Explain a pending hold before the customer finds it.",
        "Give the date, not the number of days.",
    ]


# Authors.


def test_an_unknown_author_refuses_the_import_and_a_mapping_fixes_it(project):
    before = journal(project)
    refused = import_export(project, "wordpress.xml")
    assert refused.returncode == 1
    assert (
        "these names in the export are not on the roster (content/people.toml):\n"
        '  "Sam Carter": 1 post, 0 comments\n'
    ) in refused.stderr
    assert '[[person]]\nname = "Sam Carter"\nrole = "staff"' in refused.stderr
    assert '--author "Name in the export=Name on the roster"' in refused.stderr
    assert (
        "Cheap Loans" not in refused.stderr
    )  # a spammer need not be on the roster: spam is not imported
    assert "Traceback" not in refused.stderr
    assert journal(project) == before

    wrong = import_export(project, "wordpress.xml", "--author", "Sam Carter=Sam Karter")
    assert wrong.returncode == 1 and '"Sam Karter" is not on the roster' in wrong.stderr
    assert journal(project) == before

    mapped = import_export(project, "wordpress.xml", *SAM)
    assert mapped.returncode == 0, mapped.stderr
    assert "Author: Marcus Reed" in read(
        project, "content/entries/2024/2024-06-10-when-the-line-went-dead.md"
    )


def test_unknown_comment_authors_are_counted_and_a_comment_without_a_name_is_anonymous(
    project, tmp_path
):
    export = written_export(
        tmp_path,
        "takeout-feed.atom",
        ("<name>Tom Okafor</name>", "<name>T. Okafor</name>"),
        ("<name>Julie Hill</name>", "<name></name>"),
    )
    refused = run_invoke(project, "import", str(export))
    assert refused.returncode == 1
    assert (
        '  "Anonymous": 0 posts, 1 comment\n  "T. Okafor": 0 posts, 1 comment\n' in refused.stderr
    )
    mapped = run_invoke(
        project,
        "import",
        str(export),
        "--author",
        "T. Okafor=Tom Okafor",
        "--author",
        "Anonymous=Julie Hill",
    )
    assert mapped.returncode == 0, mapped.stderr


# Never twice, never over anything, all or nothing.


def test_importing_the_same_export_again_writes_nothing(project):
    assert import_export(project, "blogger.xml", *SAM).returncode == 0
    (project / CONTRACT).write_text(
        read(project, CONTRACT) + "\nAdded after the move.\n", encoding="utf-8"
    )
    after_first = journal(project)
    again = import_export(project, "blogger.xml", *SAM)
    assert again.returncode == 0, again.stderr
    assert "Imported 0 posts, 0 drafts and 0 comments." in again.stdout
    assert "Already in the journal, left as they are: 3 entries and 2 comments." in again.stdout
    assert journal(project) == after_first
    assert read(project, CONTRACT).endswith("Added after the move.\n")


def test_a_dry_run_says_what_it_would_import_and_writes_nothing(project):
    before = journal(project)
    result = import_export(project, "wordpress.xml", *SAM, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Would import 2 posts, 1 draft and 2 comments." in result.stdout
    assert (
        "pending comment (1)" in result.stdout
        and "Nothing was written (--dry-run)." in result.stdout
    )
    assert journal(project) == before


def test_a_write_that_fails_leaves_the_journal_as_it_was(project):
    # The 2023 entries' folder goes, so the import must make it; a file stands where the comments'
    # folder must go.
    for entry in (project / "content/entries/2023").iterdir():
        entry.unlink()
    (project / "content/entries/2023").rmdir()
    (project / CONTRACT_COMMENTS).write_text("not a folder\n")
    before = journal(project)
    result = import_export(project, "blogger.xml", *SAM)
    assert result.returncode == 1
    assert (
        f"Nothing was imported: {CONTRACT_COMMENTS}/2023-03-15-1700-tom-okafor.md could not be "
        "written" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert (
        journal(project) == before
    )  # the three entries written before it are gone again, and their folder


COLLISIONS = {
    "with-an-entry": (
        "wordpress.xml",
        ("[CDATA[the-double-charge]]", "[CDATA[refund-by-friday]]"),
        'The post "The double charge that wasn’t" would have the address "refund-by-friday", which '
        "content/entries/2022/2022-11-08-refund-by-friday.md already has.",
    ),
    "within-the-export": (
        "blogger.xml",
        ("/a_chat_that_went_quiet.html", f"/{CONTRACT_SLUG}.html"),
        'The posts "The caller who read me his whole contract" (2023-03-14) and "A chat that went '
        f'quiet" (2023-07-02) would all have the address "{CONTRACT_SLUG}".',
    ),
}


@pytest.mark.parametrize("export, replacement, message", COLLISIONS.values(), ids=COLLISIONS)
def test_an_address_taken_twice_refuses_the_import(project, tmp_path, export, replacement, message):
    before = journal(project)
    result = run_invoke(project, "import", str(written_export(tmp_path, export, replacement)), *SAM)
    assert result.returncode == 1
    assert message in result.stderr
    assert journal(project) == before


# Exports that are not what they should be.

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE feed [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol3;</title></entry></feed>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&secret;</title></item></channel></rss>
"""


@pytest.mark.parametrize(
    "hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["expansion", "external"]
)
def test_an_export_that_declares_entities_is_refused_unread(project, tmp_path, hostile):
    export = tmp_path / "export.xml"
    export.write_text(hostile)
    before = journal(project)
    result = run_invoke(project, "import", str(export))
    assert result.returncode == 1
    assert "declares its own XML entity" in result.stderr and "Traceback" not in result.stderr
    assert "root:" not in result.stdout + result.stderr
    assert journal(project) == before


def test_a_cut_short_export_is_refused_naming_the_line(project, tmp_path):
    export = tmp_path / "blogger.xml"
    export.write_text("\n".join((EXPORTS / "blogger.xml").read_text().splitlines()[:5]))
    before = journal(project)
    result = run_invoke(project, "import", str(export))
    assert result.returncode == 1
    assert "Nothing was imported: blogger.xml:5: This is not a complete XML file" in result.stderr
    assert journal(project) == before


def test_a_file_that_is_no_export_is_refused(project, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        "<rss "
        'version="2.0"><channel><title>News</title><item><title>Hi</title></item></channel></rss>'
    )
    result = run_invoke(project, "import", str(feed))
    assert result.returncode == 1 and "is not an export from Blogger" in result.stderr


def test_exports_with_other_or_undeclared_prefixes_or_stray_control_characters_are_read(
    project, tmp_path
):
    # WordPress 3.x wrote <atom:link> without declaring atom:; a tool that saved the file again may
    # rename
    # prefixes; text pasted from a word processor brings form feeds, which XML does not allow.
    export = written_export(
        tmp_path,
        "wordpress.xml",
        (
            "<generator>",
            '<atom:link rel="self" href="https://helpdeskdiary.example.org/feed/"/><generator>',
        ),
        ('xmlns:wp="', 'xmlns:ns0="'),
        ("Thanks, Julie.", "Thanks,\f Julie."),
    )
    export.write_text(export.read_text().replace("<wp:", "<ns0:").replace("</wp:", "</ns0:"))
    result = run_invoke(project, "import", str(export), *SAM)
    assert result.returncode == 0, result.stderr
    assert "Imported 2 posts, 1 draft and 2 comments." in result.stdout


# What is written, and what the journal is told.


def test_the_privacy_scan_reports_what_was_imported_as_warnings(project):
    result = import_export(project, "takeout-feed.atom")
    assert result.returncode == 0, result.stderr
    assert (
        f"{PARCEL_COMMENTS}/2024-10-03-1700-tom-okafor.md:4:32: phone number 016* *** **00."
        in result.stdout
    )


def test_a_post_without_a_title_is_titled_with_its_first_words(project, tmp_path):
    export = written_export(
        tmp_path,
        "blogger.xml",
        ("<title type='text'>A chat that went quiet</title>", "<title type='text'></title>"),
    )
    result = run_invoke(project, "import", str(export), *SAM)
    assert result.returncode == 0, result.stderr
    entry = "content/entries/2023/2023-07-02-a-chat-that-went-quiet.md"
    assert read(project, entry).startswith(
        "Title: The customer stopped typing for ten minutes. I…\n"
    )
    assert f"their first words are their title; change it if you like:\n  {entry}" in result.stdout


CONVERSIONS = [
    # Blogger's editor: a <div> per typed line, <div><br></div> for a blank one, however deep the
    # divs.
    (
        '<div dir="ltr"><div>Me: Hello.</div><div>Caller: '
        "Hi.</div></div><div><br></div><div><div>Later.</div></div>",
        "Me: Hello.\nCaller: Hi.\n\nLater.",
    ),
    (
        "<p>One<br>\nTwo<br /><b>Three</b> <i>four</i> <a href='https://example.com/'>five</a></p>",
        "One\nTwo\n**Three** *four* [five](https://example.com/)",
    ),
    (
        '<ul><li>a<ul><li>inside</li></ul></li><li>b</li></ul><span style="color:red">after</span>',
        "- a\n    - inside\n- b\n\nafter",
    ),
    (
        "<ol><li>Run this:<pre>a = 1\n  b = 2</pre></li></ol><pre>top = 3</pre>",
        "1. Run this:\n\n        a = 1\n          b = 2\n\n```\ntop = 3\n```",
    ),
    # Text that Markdown would read as formatting stays text.
    (
        "<p>1. not a list</p><p># not a heading</p><p>5 * 3 = 15, file_name, [x](y), C:\\temp</p>",
        "1\\. not a list\n\n\\# not a heading\n\n5 \\* 3 = 15, file\\_name, \\[x\\](y), C:\\\\temp",
    ),
    (
        "<p>Dear &lt;customer name&gt;, it&#8217;s &amp; done&nbsp;now <del>struck</del></p>",
        "Dear &lt;customer name>, it’s & done now struck",
    ),
]


@pytest.mark.parametrize("source, expected", CONVERSIONS)
def test_html_becomes_markdown_that_the_journal_renders_with_the_same_text(source, expected):
    converted = markdown_of(source)
    assert converted == expected
    options = read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"]
    rendered = markdown.markdown(
        converted, extensions=list(options["extension_configs"]), **options
    )
    assert text_of(rendered) == text_of(source)
    assert structure(rendered) == structure(source)


def text_of(fragment: str) -> str:
    return "".join(BeautifulSoup(fragment, "html.parser").get_text().split())


def structure(fragment: str) -> list[str]:
    """The elements Markdown has a word for, in order (paragraphs aside: Blogger writes divs)."""
    same = {"b": "strong", "i": "em"}
    names = [
        "ul",
        "ol",
        "li",
        "pre",
        "blockquote",
        "a",
        "b",
        "strong",
        "i",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
    ]
    return [
        same.get(tag.name, tag.name)
        for tag in BeautifulSoup(fragment, "html.parser").find_all(names)
    ]
