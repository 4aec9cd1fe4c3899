"""The Atom feeds, read by feedparser as a feed reader reads them: ids, links and the pages they
follow."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from conftest import ROOT, build
from test_site import PUBLISHED

PREVIEW = "http://localhost:8000"  # FEED_DOMAIN in pelicanconf.py
PUBLISHED_SITE = "https://casebook.intranet.example"  # SITEURL in publishconf.py
TAG_URI = re.compile(r"tag:(?P<host>[a-z0-9.-]+),\d{4}-\d{2}-\d{2}:(?P<path>/\S*)")


def feeds(site: Path) -> dict[str, feedparser.FeedParserDict]:
    parsed = {
        path.relative_to(site).as_posix(): feedparser.parse(path)
        for path in sorted(site.rglob("*.atom.xml"))
    }
    for name, feed in parsed.items():
        assert not feed.bozo, f"{name}: {feed.get('bozo_exception')}"
    return parsed


def link(element, rel: str) -> str:
    [href] = [item["href"] for item in element.links if item["rel"] == rel]
    return href


def page_of(site: Path, url: str, domain: str) -> Path:
    """The built file an absolute address of the site leads to."""
    assert url.startswith(f"{domain}/"), f"{url} is not an address of {domain}"
    path = site / urlsplit(url).path.removeprefix(urlsplit(domain).path).lstrip("/")
    return path / "index.html" if url.split("#")[0].endswith("/") else path


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    return build(
        ROOT / "content", tmp_path_factory.mktemp("published") / "output", "publishconf.py"
    )


@pytest.mark.parametrize("where, domain", [("preview", PREVIEW), ("published", PUBLISHED_SITE)])
def test_each_feed_has_its_own_id_follows_its_page_and_links_absolutely(
    site, published, where, domain
):
    built = {"preview": site, "published": published}[where]
    parsed = feeds(built)
    assert len(parsed) == 3 + len(
        {tag for sample in PUBLISHED for tag in sample.tags}
    )  # all, endorsed, review, tags
    for name, feed in parsed.items():
        assert feed.feed.id == link(feed.feed, "self") == f"{domain}/{name}", name
        followed = link(feed.feed, "alternate")
        expected = {
            "feeds/all.atom.xml": f"{domain}/",
            "feeds/endorsed.atom.xml": f"{domain}/endorsed/",
            "feeds/review.atom.xml": f"{domain}/review/",
        }.get(name, f"{domain}/tags/{Path(name).name.removesuffix('.atom.xml')}/")
        assert followed == expected, name
        assert page_of(built, followed, domain).is_file(), name
        for entry in feed.entries:
            assert page_of(built, entry.link, domain).is_file(), (name, entry.link)
            uri = TAG_URI.fullmatch(entry.id)
            assert uri and uri["host"] == urlsplit(domain).hostname, (name, entry.id)
            path = urlsplit(entry.link).path + (
                f"/{urlsplit(entry.link).fragment}" if urlsplit(entry.link).fragment else ""
            )
            # The review queue's items are an entry in one of its two lists: the list is part of the
            # id.
            lists = ("/not-reviewed", "/not-endorsed") if name == "feeds/review.atom.xml" else ("",)
            assert uri["path"] in {path + suffix for suffix in lists}, (name, entry.id)
        assert len({entry.id for entry in feed.entries}) == len(feed.entries), name
    assert len({feed.feed.id for feed in parsed.values()}) == len(parsed), "two feeds share an id"


def test_a_tag_feed_lists_its_tags_entries(site):
    refunds = feeds(site)["feeds/tags/refunds.atom.xml"]
    expected = sorted(sample.title for sample in PUBLISHED if "refunds" in sample.tags)
    assert sorted(entry.title for entry in refunds.entries) == expected


def test_entry_ids_stay_the_same_whatever_port_the_preview_serves(site, tmp_path):
    other_port = build(ROOT / "content", tmp_path / "output", FEED_DOMAIN="http://localhost:8011")
    for name, feed in feeds(other_port).items():
        assert feed.feed.id == f"http://localhost:8011/{name}"
        assert all(entry.link.startswith("http://localhost:8011/") for entry in feed.entries), name
        assert [entry.id for entry in feed.entries] == [
            entry.id for entry in feeds(site)[name].entries
        ], name
