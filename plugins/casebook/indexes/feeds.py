"""Casebook's Atom feeds: endorsements, for trainees who follow new ones; the review queue, for supervisors."""

from __future__ import annotations

from pathlib import Path

from feedgenerator import Atom1Feed, get_tag_uri
from markupsafe import Markup


def write_endorsement_feed(path: Path, endorsed_entries, site_url: str, site_name: str, feed_url: str,
                           max_items: int | None) -> None:
    """The newest max_items endorsements (Pelican's FEED_MAX_ITEMS), newest first."""
    feed = Atom1Feed(title=f"{site_name}: endorsed entries", link=f"{site_url}/", feed_url=feed_url,
                     description="Entries a supervisor endorsed as worth learning from.")
    endorsements = sorted(((endorsement, entry) for entry in endorsed_entries
                           for endorsement in entry.discussion.endorsements),
                          key=lambda pair: pair[0].date, reverse=True)
    for endorsement, entry in endorsements[:max_items]:
        link = f"{site_url}/{entry.url}#{endorsement.anchor}"
        feed.add_item(
            title=f"{Markup(entry.title).striptags()}, endorsed by {endorsement.author.name}",
            link=link,
            unique_id=get_tag_uri(link, endorsement.date),
            description=endorsement.html or entry.summary,
            author_name=endorsement.author.name,
            pubdate=endorsement.date,
            categories=[tag.name for tag in getattr(entry, "tags", [])] or None,
        )
    write(feed, path)


def write_review_feed(path: Path, queue, site_url: str, site_name: str, review_url: str, feed_url: str,
                      max_items: int | None) -> None:
    """The entries of the review queue (indexes/review.py), newest arrival in either list first."""
    feed = Atom1Feed(title=f"{site_name}: review queue", link=f"{site_url}/{review_url}", feed_url=feed_url,
                     description="Published entries waiting for a supervisor's comment or endorsement.")
    arrivals = sorted([*((waiting, "waiting for a first review", "not-reviewed") for waiting in queue.not_reviewed),
                       *((waiting, "reviewed, not endorsed", "not-endorsed") for waiting in queue.not_endorsed)],
                      key=lambda arrival: arrival[0].since, reverse=True)
    for waiting, state, anchor in arrivals[:max_items]:
        entry = waiting.entry
        link = f"{site_url}/{entry.url}"
        feed.add_item(
            title=f"{Markup(entry.title).striptags()}: {state}",
            link=link,
            # An entry that moves to the other list is news again: it gets another id.
            unique_id=get_tag_uri(f"{link}#{anchor}", waiting.since),
            description=entry.summary,
            author_name=entry.author.name,
            pubdate=waiting.since,
            categories=[tag.name for tag in getattr(entry, "tags", [])] or None,
        )
    write(feed, path)


def write(feed: Atom1Feed, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as file:
        feed.write(file, "utf-8")
