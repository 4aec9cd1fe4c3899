"""Comments and supervisor endorsements: on the site, the rules, and `invoke comment`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build, html, run_invoke

ATOM = "{http://www.w3.org/2005/Atom}"
MESSAGE = "2023/06/the-message-i-did-not-take/index.html"
REFUND = "2022/11/refund-by-friday/index.html"
COMMENTS = "content/comments"


def comment_tree(list_element) -> list:
    """(author, [replies...]) for each comment of an <ol>, in page order."""
    tree = []
    for item in list_element.find_all("li", recursive=False):
        author = item.select_one(".comment-author").get_text(strip=True)
        replies = item.find("ol", class_="comment-replies", recursive=False)
        tree.append((author, comment_tree(replies) if replies else []))
    return tree


def test_entry_page_shows_threads_in_date_order_with_replies_nested(site):
    page = html(site / MESSAGE)
    section = page.select_one("section#comments")
    assert "(4)" in section.h2.get_text()
    assert comment_tree(section.select_one("ol.comment-list")) == [
        ("Julie Hill", [("Marcus Reed", [("Julie Hill", [])])]),  # 5 June 10:00, then its replies
        ("Priya Nair", []),  # 5 June 12:30
    ]


def test_each_comment_shows_author_role_date_and_a_permanent_anchor(site):
    page = html(site / MESSAGE)
    for comment in page.select("article.comment"):
        permalink = comment.select_one("a.comment-permalink")
        assert permalink["href"] == f"#{comment['id']}"
        assert comment.find("time")["datetime"].startswith("2023-06-0")
    priya = page.select_one("#comment-priya-nair")
    assert priya.select_one(".comment-role").get_text(strip=True) == "Staff"
    assert not priya.select(".badge-supervisor")
    julie = page.select_one("#comment-julie-hill")
    assert julie.select_one(".badge-supervisor").get_text(strip=True) == "Supervisor"
    assert julie.select_one(".comment-body ol")  # Markdown in a comment is rendered
    reply = page.select_one("#comment-marcus-reed-reply .comment-body p")
    assert reply.decode_contents().count("<br") == 2  # line breaks behave as in entries


def test_an_endorsed_entry_says_who_endorsed_it_and_when(site):
    endorsed = html(site / MESSAGE).select_one(".entry-header .endorsed").get_text(" ", strip=True)
    assert endorsed == "Endorsed by Julie Hill on 5 June 2023"
    assert html(site / "2025/02/silence-on-the-line/index.html").select_one(".endorsed") is None


def test_listings_show_comment_count_and_endorsement(site):
    for listing in ("index.html", "tags/messages/index.html", "people/marcus-reed/index.html"):
        card = next(
            card
            for card in html(site / listing).select(".entry-card")
            if "The message I did not take" in card.get_text()
        )
        assert card.select_one(".comment-count").get_text(strip=True) == "4 comments"
        assert "Endorsed by Julie Hill" in card.select_one(".endorsed").get_text(" ", strip=True)
    quiet = next(
        card
        for card in html(site / "index.html").select(".entry-card")
        if "Silence on the line" in card.get_text()
    )
    assert not quiet.select(".comment-count, .endorsed")
    for archive in ("archive/index.html", "2023/index.html", "2023/06/index.html"):
        item = next(
            li
            for li in html(site / archive).select(".archive-list li")
            if "The message I did not take" in li.get_text()
        )
        assert "4 comments" in item.get_text() and item.select_one(".badge-endorsed")


def test_endorsed_page_lists_endorsed_entries_newest_endorsement_first(site):
    page = html(site / "endorsed" / "index.html")
    titles = [a.get_text(strip=True) for a in page.select(".entry-card-title a")]
    assert titles == [
        "A complaint at the counter",
        "The message I did not take",
        "Refund by Friday",
        "What is a tracking number, anyway?",
    ]
    assert "/endorsed/" in [a["href"] for a in html(site / "index.html").select("nav a")]


def test_endorsement_feed_is_atom_newest_first(site):
    feed = ET.parse(site / "feeds" / "endorsed.atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "A complaint at the counter, endorsed by Tom Okafor",
        "The message I did not take, endorsed by Julie Hill",
        "Refund by Friday, endorsed by Tom Okafor",
        "What is a tracking number, anyway?, endorsed by Julie Hill",
    ]
    assert (
        entries[1]
        .find(f"{ATOM}link")
        .get("href")
        .endswith("/2023/06/the-message-i-did-not-take/#comment-julie-hill")
    )


def test_endorsement_feed_keeps_the_newest_as_the_other_feeds_do(tmp_path):
    site = build(ROOT / "content", tmp_path / "output", FEED_MAX_ITEMS=2)
    feed = ET.parse(site / "feeds" / "endorsed.atom.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == [
        "A complaint at the counter, endorsed by Tom Okafor",
        "The message I did not take, endorsed by Julie Hill",
    ]


def test_comments_never_become_pages_of_their_own(site):
    phrase = "The shared inbox has saved me twice since."
    pages = [
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if phrase in p.read_text(encoding="utf-8")
    ]
    assert pages == [MESSAGE]
    assert not list(site.rglob("*comments*"))


# The rules: each refused with the comment file named, exit 1, nothing lost.


def test_comment_author_not_on_the_roster(journal):
    journal.edit(
        f"{COMMENTS}/refund-by-friday/ana-sousa-thanks.md", "Author: Ana Sousa", "Author: Ann Sousa"
    )
    journal.fails_with(
        f'{COMMENTS}/refund-by-friday/ana-sousa-thanks.md:1: Author "Ann Sousa" is not on the '
        "roster"
    )


def test_endorsement_by_someone_who_is_not_a_supervisor(journal):
    journal.write(
        f"{COMMENTS}/refund-by-friday/priya.md",
        "Author: Priya Nair\nDate: 2022-11-12\nEndorsement: yes\n\nGreat.\n",
    )
    journal.fails_with(
        f"{COMMENTS}/refund-by-friday/priya.md:3: Only supervisors can endorse an entry, "
        "and Priya Nair is staff."
    )


def test_endorsement_by_the_entrys_own_author(journal):
    journal.write(
        f"{COMMENTS}/a-complaint-at-the-counter/julie.md",
        "Author: Julie Hill\nDate: 2024-05-03\nEndorsement: yes\n\nMine.\n",
    )
    journal.fails_with(
        f"{COMMENTS}/a-complaint-at-the-counter/julie.md:3: Julie Hill wrote this entry and "
        "cannot endorse it."
    )


def test_folder_that_matches_no_entry(journal):
    journal.write(
        f"{COMMENTS}/refund-by-fridy/tom.md", "Author: Tom Okafor\nDate: 2022-11-12\n\nHi.\n"
    )
    journal.fails_with(
        f'{COMMENTS}/refund-by-fridy/tom.md: The folder "refund-by-fridy" matches no entry. '
        'Did you mean "refund-by-friday"?'
    )


def test_folder_that_matches_a_draft(journal):
    journal.write(
        f"{COMMENTS}/unfinished-notes-on-scheduled-callbacks/tom.md",
        "Author: Tom Okafor\nDate: 2026-11-03\n\nLooking forward to it.\n",
    )
    journal.fails_with(
        f"{COMMENTS}/unfinished-notes-on-scheduled-callbacks/tom.md: The entry "
        '"unfinished-notes-on-scheduled-callbacks" is a draft'
    )


def test_reply_to_a_comment_that_does_not_exist(journal):
    journal.edit(
        f"{COMMENTS}/refund-by-friday/ana-sousa-thanks.md",
        "Replyto: tom-okafor",
        "Replyto: tom-okafr",
    )
    journal.fails_with(
        f'{COMMENTS}/refund-by-friday/ana-sousa-thanks.md:3: Replyto "tom-okafr" names no other '
        'comment on this entry. Did you mean "tom-okafor"?'
    )


@pytest.mark.parametrize("field", ["Author", "Date"])
def test_comment_missing_author_or_date(journal, field):
    path = f"{COMMENTS}/refund-by-friday/tom-okafor.md"
    line = next(
        line
        for line in (journal.root / path).read_text().splitlines()
        if line.startswith(f"{field}: ")
    )
    journal.edit(path, f"{line}\n", "")
    journal.fails_with(f"{path}:1: The comment has no {field}.")


def test_comment_with_a_bad_date(journal):
    journal.edit(
        f"{COMMENTS}/refund-by-friday/tom-okafor.md", "Date: 2022-11-10 09:15", "Date: 2022-11-31"
    )
    journal.fails_with(
        f'{COMMENTS}/refund-by-friday/tom-okafor.md:2: Date "2022-11-31" is not a real date'
    )


# Safety: nothing executable reaches the HTML.

XSS_PAYLOADS = [
    "<script>alert('xss-1')</script>",
    '<img src="x" onerror="alert(\'xss-2\')">',
    "<a href=\"javascript:alert('xss-3')\">click me</a>",
    "<a href=\"JaVaScRiPt:alert('xss-4')\">click me too</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<style>body { display: none }</style>",
    "<svg onload=\"alert('xss-5')\"><script>alert(6)</script></svg>",
    "<div onmouseover=\"alert('xss-7')\">hover</div>",
    '<form action="javascript:alert(8)"><button '
    'formaction="javascript:alert(9)">go</button></form>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<math><mtext><table><mglyph><style><img src=x "
    "onerror=alert(10)></style></mglyph></table></mtext></math>",
    '<a href="&#106;avascript:alert(11)">entity-encoded</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(12)">',
    '<base href="javascript:alert(13)//">',
    "[markdown link](javascript:alert(14))",
    "![markdown image](javascript:alert(15))",
    '<details open ontoggle="alert(16)">x</details>',
]
ORDINARY = """*emphasis* and **strong**, `code`, a [link](https://intranet.example/help)
and [a page](/tags/).

- one
- two

| a | b |
|---|---|
| 1 | 2 |

> quoted
"""


def executable_bits(page) -> list[str]:
    found = [
        tag.name
        for tag in page.find_all(
            ["script", "iframe", "object", "embed", "style", "form", "meta", "base", "svg", "math"]
        )
        if tag.parent.name != "head"
    ]
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"{tag.name}[{name}]")
            if name in ("href", "src", "action", "formaction", "data") and str(
                value
            ).strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"{tag.name}[{name}={value}]")
    return found


def test_known_xss_payloads_never_reach_the_html(project, tmp_path):
    payloads = "\n\n".join(XSS_PAYLOADS)
    (project / "content/entries/2025/xss.md").write_text(
        "Title: Payloads <script>alert('title')</script>\nSlug: payloads\nDate: "
        "2025-06-01\nAuthor: Dev Patel\n"
        f"Summary: A summary <img src=x onerror=alert('summary')>\n\n{payloads}\n\n{ORDINARY}"
    )
    (project / "content/entries/2025/xss-lessons.md").write_text(
        "Title: Payloads in lessons\nDate: 2025-06-01\nAuthor: Dev Patel\n\nA story.\n\n## "
        "Lessons learned\n\n"
        f"{chr(10).join('- ' + payload.replace(chr(10), ' ') for payload in XSS_PAYLOADS)}\n"
    )
    (project / "content/comments/payloads").mkdir(parents=True)
    (project / "content/comments/payloads/c.md").write_text(
        f"Author: Tom Okafor\nDate: 2025-06-02\n\n{payloads}\n\n{ORDINARY}"
    )
    site = build(project / "content", tmp_path / "output")
    entry = site / "2025/06/payloads/index.html"
    for page_path in (
        entry,
        site / "index.html",
        site / "tags/index.html",
        site / "lessons/index.html",
    ):
        page = html(page_path)
        assert executable_bits(page.main) == [], page_path  # main: where entries and comments go
        assert page.head.find("script") is None
    text = entry.read_text()
    assert "alert(" not in "".join(str(t) for t in html(entry).find_all(["script"]))
    page = html(entry)
    assert (
        page.h1.get_text() == "Payloads <script>alert('title')</script>"
    )  # shown as text, not run
    for body in (page.select_one(".entry-body"), page.select_one(".comment-body")):
        assert (
            body.find("em").get_text() == "emphasis" and body.find("strong").get_text() == "strong"
        )
        assert body.find("a", href="https://intranet.example/help") and body.find(
            "a", href="/tags/"
        )
        assert len(body.select("ul > li")) == 2 and body.find("table") and body.find("blockquote")
        assert body.find("code").get_text() == "code"
    assert "javascript:" not in text.lower()
    lessons = [
        r["html"]
        for r in json.loads((site / "lessons.json").read_text())
        if r["title"] == "Payloads in lessons"
    ]
    assert lessons and executable_bits(BeautifulSoup("".join(lessons), "html.parser")) == [], (
        lessons
    )


# invoke comment


def test_invoke_comment_writes_a_comment_that_builds(project):
    result = run_invoke(
        project, "comment", "silence-on-the-line", "--author", "Julie Hill", "--endorse"
    )
    assert result.returncode == 0, result.stderr
    [path] = (project / COMMENTS / "silence-on-the-line").glob("*.md")
    assert str(path.relative_to(project)) in result.stdout
    unwritten = run_invoke(project, "check")
    assert unwritten.returncode == 0 and "This comment has no text yet" in unwritten.stdout
    path.write_text(path.read_text() + "Waiting is a skill. Well done.\n")
    reply = run_invoke(
        project, "comment", "silence-on-the-line", "--author", "Priya Nair", "--reply-to", path.stem
    )
    assert reply.returncode == 0, reply.stderr
    assert run_invoke(project, "build").returncode == 0
    page = html(project / "output/2025/02/silence-on-the-line/index.html")
    assert "Endorsed by Julie Hill" in page.select_one(".entry-header .endorsed").get_text(
        " ", strip=True
    )
    assert comment_tree(page.select_one("ol.comment-list")) == [
        ("Julie Hill", [("Priya Nair", [])])
    ]


@pytest.mark.parametrize(
    "arguments, reason",
    [
        (
            ["no-such-entry", "--author", "Tom Okafor"],
            'The folder "no-such-entry" matches no entry',
        ),
        (["refund-by-friday", "--author", "Nobody"], '"Nobody" is not on the roster'),
        (
            ["refund-by-friday", "--author", "Priya Nair", "--endorse"],
            "Only supervisors can endorse",
        ),
        (
            ["a-complaint-at-the-counter", "--author", "Julie Hill", "--endorse"],
            "Julie Hill wrote this entry",
        ),
        (
            ["refund-by-friday", "--author", "Tom Okafor", "--reply-to", "nobody"],
            'Replyto "nobody" names no other',
        ),
        (["unfinished-notes-on-scheduled-callbacks", "--author", "Tom Okafor"], "is a draft"),
    ],
)
def test_invoke_comment_refuses_what_the_build_refuses(project, arguments, reason):
    before = sorted(project.rglob("*.md"))
    result = run_invoke(project, "comment", *arguments)
    assert result.returncode == 1 and reason in result.stderr, result.stderr
    assert sorted(project.rglob("*.md")) == before
