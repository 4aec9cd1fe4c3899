"""The Atom feeds: Pelican's (all entries, one per tag), made right; ours of endorsements (for
trainees who follow new ones) and of the review queue (for supervisors).

Atom wants each feed's id to be its own, its `alternate` link to be the page
it follows, and every link and id to be absolute. Pelican gives every feed the
site's address as id and home page as alternate, and in the local preview
(SITEURL "") relative links and entry ids of host "None". Links and ids are
made from FEED_DOMAIN: the site's address when published, the preview's
(http://localhost:<port served>) locally. An entry's id is a tag URI of host
and path (`tag:localhost,2024-04-18:/2024/04/slug/`): it does not change with
the preview's port.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from feedgenerator import Atom1Feed, get_tag_uri
from markupsafe import Markup


def complete_pelicans_feed(context, feed) -> None:
    """Connected to `feed_generated`: Pelican's feed, with its own id, its page and absolute
    links."""
    domain = f"{context['FEED_DOMAIN']}/"
    feed.feed["id"] = feed.feed["feed_url"]
    feed.feed["link"] = urljoin(
        domain, followed_page(context, feed.feed["feed_url"].removeprefix(domain))
    )
    for item in feed.items:
        item["link"] = urljoin(domain, item["link"])
        item["unique_id"] = get_tag_uri(item["link"], item["pubdate"])


def followed_page(context, feed_path: str) -> str:
    """The page whose entries a feed lists: its tag's page, or the home page."""
    tag_feed = context.get("TAG_FEED_ATOM_URL") or context.get("TAG_FEED_ATOM") or ""
    return next(
        (
            tag.url
            for tag, _ in context.get("tags", [])
            if tag_feed.format(slug=tag.slug) == feed_path
        ),
        "",
    )


def write_endorsement_feed(
    path: Path,
    endorsed_entries,
    site_url: str,
    site_name: str,
    page_url: str,
    feed_url: str,
    max_items: int | None,
) -> None:
    """The newest max_items endorsements (Pelican's FEED_MAX_ITEMS), newest first."""
    feed = Atom1Feed(
        title=f"{site_name}: endorsed entries",
        link=page_url,
        feed_url=feed_url,
        feed_guid=feed_url,
        description="Entries a supervisor endorsed as worth learning from.",
    )
    endorsements = sorted(
        (
            (endorsement, entry)
            for entry in endorsed_entries
            for endorsement in entry.discussion.endorsements
        ),
        key=lambda pair: pair[0].date,
        reverse=True,
    )
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


def write_review_feed(
    path: Path,
    queue,
    site_url: str,
    site_name: str,
    review_url: str,
    feed_url: str,
    max_items: int | None,
) -> None:
    """The entries of the review queue (indexes/review.py), newest arrival in either list first."""
    feed = Atom1Feed(
        title=f"{site_name}: review queue",
        link=f"{site_url}/{review_url}",
        feed_url=feed_url,
        feed_guid=feed_url,
        description="Published entries waiting for a supervisor's comment or endorsement.",
    )
    arrivals = sorted(
        [
            *(
                (waiting, "waiting for a first review", "not-reviewed")
                for waiting in queue.not_reviewed
            ),
            *(
                (waiting, "reviewed, not endorsed", "not-endorsed")
                for waiting in queue.not_endorsed
            ),
        ],
        key=lambda arrival: arrival[0].since,
        reverse=True,
    )
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
