"""The review queue (/review/), its Atom feed and its count in the preview's header, on real
builds."""

from __future__ import annotations

import datetime
import re
import tomllib
import xml.etree.ElementTree as ET

from conftest import ROOT, build, html
from test_site import PUBLISHED, Sample

ATOM = "{http://www.w3.org/2005/Atom}"
ROSTER = tomllib.loads((ROOT / "content/people.toml").read_text(encoding="utf-8"))
ROLES = {person["name"]: person["role"] for person in ROSTER["person"]}


def header_of(path) -> dict[str, str]:
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return {
        key.lower(): value for key, value in (line.split(": ", 1) for line in header.splitlines())
    }


def comments_on(sample: Sample, content=ROOT / "content") -> list[dict[str, str]]:
    return [header_of(path) for path in sorted((content / "comments" / sample.slug).glob("*.md"))]


def reviewed(sample: Sample, content=ROOT / "content") -> bool:
    """Read here from the files: a supervisor other than the author commented."""
    return any(
        ROLES[c["author"]] == "supervisor" and c["author"] != sample.meta["author"]
        for c in comments_on(sample, content)
    )


def endorsed(sample: Sample, content=ROOT / "content") -> bool:
    return any(c.get("endorsement") == "yes" for c in comments_on(sample, content))


def lessons_in(sample: Sample) -> int:
    section = sample.path.read_text(encoding="utf-8").split("## Lessons learned", 1)[1]
    return len(re.findall(r"^- ", section, re.M))


def queue_lists(page) -> dict[str, list[str]]:
    return {
        section["id"]: [a.get_text(strip=True) for a in section.select(".review-title a")]
        for section in page.select("section.review-section")
    }


def test_the_queue_lists_exactly_the_unreviewed_entries_oldest_first(site):
    page = html(site / "review/index.html")
    oldest_first = sorted(PUBLISHED, key=lambda sample: sample.date)
    expected = {
        "not-reviewed": [s.title for s in oldest_first if not reviewed(s)],
        "not-endorsed": [s.title for s in oldest_first if reviewed(s) and not endorsed(s)],
    }
    assert queue_lists(page) == expected
    # The sample journal has both kinds, and a supervisor's own entry nobody else commented on.
    assert expected["not-endorsed"] == ["The chat widget that said we were closed"]
    assert "Reading back the order number" in expected["not-reviewed"]


def test_each_waiting_entry_shows_its_age_author_tags_and_lessons(site):
    page = html(site / "review/index.html")
    as_of = datetime.date.fromisoformat(page.select_one(".page-intro time")["datetime"])
    assert as_of in {
        datetime.date.today(),
        datetime.date.today() - datetime.timedelta(days=1),
    }  # built today
    by_title = {sample.title: sample for sample in PUBLISHED}
    items = page.select(".review-item")
    assert len(items) == 4
    for item in items:
        sample = by_title[item.select_one(".review-title a").get_text(strip=True)]
        age = (as_of - sample.date.date()).days
        assert item.select_one(".review-age").get_text(strip=True) == f"{age} days old"
        assert item.select_one(".review-author").get_text(strip=True) == sample.meta["author"]
        assert sorted(a.get_text(strip=True) for a in item.select(".tags a")) == sorted(sample.tags)
        lessons = lessons_in(sample)
        lessons_shown = item.select_one(".review-lessons").get_text(strip=True)
        assert lessons_shown == f"{lessons} lesson{'s' if lessons != 1 else ''}"
        assert (
            site / item.select_one(".review-title a")["href"].strip("/") / "index.html"
        ).is_file()


def test_staff_comments_and_own_comments_leave_an_entry_in_the_queue_a_review_moves_it(journal):
    silence, portal = "Silence on the line", "First week of the new returns portal"
    journal.write(
        "content/comments/silence-on-the-line/ana.md",
        "Author: Ana Sousa\nDate: 2025-02-12 09:00\n\nI have had calls like this too.\n",
    )
    journal.write(
        "content/comments/reading-back-the-order-number/tom.md",
        "Author: Tom Okafor\nDate: 2024-10-01 09:00\n\nA note to myself, the author.\n",
    )
    journal.write(
        "content/comments/first-week-of-the-new-returns-portal/ana.md",
        "Author: Ana Sousa\nDate: 2026-03-04 09:00\n\nA question first.\n",
    )
    journal.write(
        "content/comments/first-week-of-the-new-returns-portal/julie-reply.md",
        "Author: Julie Hill\nDate: 2026-03-05 09:00\nReplyto: ana\n\nA supervisor's reply.\n",
    )
    journal.write(
        "content/comments/the-chat-widget-that-said-we-were-closed/tom.md",
        "Author: Tom Okafor\nDate: 2023-01-25 09:00\nEndorsement: yes\n\nWorth reading.\n",
    )
    assert journal.build().returncode == 0
    lists = queue_lists(html(journal.output / "review/index.html"))
    assert lists == {
        "not-reviewed": ["Reading back the order number", silence],
        "not-endorsed": [portal],
    }


def test_the_count_shows_in_the_preview_header_only(site, tmp_path):
    waiting = len(html(site / "review/index.html").select(".review-item"))
    style = (site / "review/count.css").read_text()
    assert f'content: "{waiting}" / "{waiting} waiting"' in style
    for page in (site / "index.html", site / "2023/06/the-message-i-did-not-take/index.html"):
        header = html(page).select_one("header.site-header")
        assert header.select_one('a[href="/review/"] .review-count')
        assert html(page).select_one('link[href="/review/count.css"]')
    published = build(ROOT / "content", tmp_path / "published", "publishconf.py")
    assert (published / "review/index.html").is_file()  # the queue itself is published
    assert not (published / "review/count.css").exists()
    for page in published.rglob("*.html"):
        assert "review-count" not in page.read_text(encoding="utf-8"), page
        assert "count.css" not in page.read_text(encoding="utf-8"), page


def test_an_empty_queue_shows_no_count(journal):
    for slug, date in (
        ("the-chat-widget-that-said-we-were-closed", "2023-01-24"),
        ("reading-back-the-order-number", "2024-10-01"),
        ("silence-on-the-line", "2025-02-12"),
        ("first-week-of-the-new-returns-portal", "2026-03-04"),
    ):
        journal.write(
            f"content/comments/{slug}/julie-endorses.md",
            f"Author: Julie Hill\nDate: {date} 09:00\nEndorsement: yes\n\nWell done.\n",
        )
    assert journal.build().returncode == 0
    assert queue_lists(html(journal.output / "review/index.html")) == {
        "not-reviewed": [],
        "not-endorsed": [],
    }
    assert "content:" not in (journal.output / "review/count.css").read_text()


def test_the_queue_feed_is_valid_atom_with_unique_ids_and_absolute_links(site):
    feed = ET.parse(site / "feeds/review.atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    other_ids = {
        ET.parse(path).getroot().findtext(f"{ATOM}id")
        for path in site.rglob("*.atom.xml")
        if path.name != "review.atom.xml"
    }
    # Its id is its own address, as every feed's (issue 16); the queue's page is what it follows.
    assert (
        feed.findtext(f"{ATOM}id") == "http://localhost:8000/feeds/review.atom.xml" not in other_ids
    )
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://localhost:8000/review/"
    assert (
        feed.find(f"{ATOM}link[@rel='self']").get("href")
        == "http://localhost:8000/feeds/review.atom.xml"
    )
    entries = feed.findall(f"{ATOM}entry")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids)) == 4
    titles = sorted(entry.findtext(f"{ATOM}title") for entry in entries)
    page = queue_lists(html(site / "review/index.html"))
    assert titles == sorted(
        [f"{t}: waiting for a first review" for t in page["not-reviewed"]]
        + [f"{t}: reviewed, not endorsed" for t in page["not-endorsed"]]
    )
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith("http://localhost:8000/")
        assert (site / link.removeprefix("http://localhost:8000/") / "index.html").is_file()
        assert entry.findtext(f"{ATOM}updated") and entry.findtext(f"{ATOM}author/{ATOM}name")
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert updated == sorted(updated, reverse=True)  # newest arrival first
