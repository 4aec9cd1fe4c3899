"""WordPress's export (WXR, Tools → Export): an RSS feed whose items carry wp: fields.

An item is a post when <wp:post_type> is post; <wp:status> publish is published, draft a
draft, anything else (pending, private, future, trash) was not published there. Its
comments are <wp:comment> elements, threaded by <wp:comment_parent>, and only those with
<wp:comment_approved> 1 were shown. Posts written in the classic editor are stored as typed:
WordPress makes paragraphs and line breaks of blank lines and newlines when it shows them
(wpautop), so the same is done here, with Pelican's own port of it; posts made of blocks
were stored as HTML and are left as they are, as WordPress does.
"""

from __future__ import annotations

import datetime
import email.utils
import html
from xml.etree.ElementTree import Element

from pelican.tools.pelican_import import decode_wp_content

from .export_xml import text
from .model import Comment, Export, Post, person

PUBLISHED, DRAFT, APPROVED = "publish", "draft", "1"
STATUS_WORDS = {
    "trash": "trashed",
    "post-trashed": "trashed",
    "future": "scheduled",
    "0": "pending",
    "auto-draft": "automatic draft",
}
TAG_DOMAINS = ("category", "post_tag")
DEFAULT_CATEGORY = (
    "uncategorized"  # WordPress files every post here unless told otherwise: no one's label
)


def read_wordpress(root: Element) -> Export:
    export = Export("a WordPress export")
    channel = root.find("{*}channel")
    names = {
        text(writer, "{*}author_login").lower(): text(writer, "{*}author_display_name")
        for writer in channel.iterfind("{*}author")
    }  # logins are case-blind in WordPress
    for item in channel.iterfind("{*}item"):
        kind, status = text(item, "{*}post_type") or "post", text(item, "{*}status")
        if kind != "post":
            export.skipped[kind.replace("_", " ")] += 1
        elif status not in (PUBLISHED, DRAFT):
            export.skipped[f"{STATUS_WORDS.get(status, status)} post"] += 1
        else:
            try:
                export.posts.append(post(item, names, status == DRAFT))
            except ValueError as error:
                export.problems.append(f'"{html.unescape(text(item, "{*}title"))}": {error}')
                continue
        read_comments(item, export)
    return export


def post(item: Element, names: dict[str, str], draft: bool) -> Post:
    login = text(item, "{*}creator")
    tags = tuple(
        html.unescape(text(category))
        for category in item.iterfind("{*}category")
        if category.get("domain") in TAG_DOMAINS
        and category.get("nicename") != DEFAULT_CATEGORY
        and text(category)
    )
    address = text(item, "{*}post_name") or text(item, "{*}link")
    when = moment(item, "post_date") or rfc822(text(item, "{*}pubDate"))
    if not when:
        raise ValueError("it has no date we can read.")
    return Post(
        text(item, "{*}post_id"),
        html.unescape(text(item, "{*}title")),
        body(encoded(item)),
        when,
        person(names.get(login.lower()) or login),
        tags,
        address,
        draft,
    )


def read_comments(item: Element, export: Export) -> None:
    for found in item.iterfind("{*}comment"):
        kind = text(found, "{*}comment_type") or "comment"
        approval = text(found, "{*}comment_approved")
        if kind != "comment":
            export.skipped[kind] += 1  # pingbacks and trackbacks: notes from other sites
        elif approval != APPROVED:
            export.skipped[f"{STATUS_WORDS.get(approval, approval)} comment"] += 1
        else:
            try:
                export.comments.append(comment(found, text(item, "{*}post_id")))
            except ValueError as error:
                export.problems.append(f"comment {text(found, '{*}comment_id')}: {error}")


def comment(found: Element, post_key: str) -> Comment:
    when = moment(found, "comment_date")
    if not when:
        raise ValueError("it has no date we can read.")
    parent = text(found, "{*}comment_parent")
    return Comment(
        text(found, "{*}comment_id"),
        post_key,
        "" if parent == "0" else parent,
        body(text(found, "{*}comment_content")),
        when,
        person(text(found, "{*}comment_author")),
    )


def encoded(item: Element) -> str:
    """The post's <content:encoded>, not its <excerpt:encoded>, whatever their prefixes."""
    return next(
        ((found.text or "") for found in item.iterfind("{*}encoded") if "excerpt" not in found.tag),
        "",
    )


def body(stored: str) -> str:
    return stored if "<!-- wp:" in stored else decode_wp_content(stored)


def moment(element: Element, name: str) -> datetime.datetime | None:
    """A WordPress date: its _gmt field in UTC, or else the site's local time (given as the
    journal's)."""
    for field, zone in ((f"{name}_gmt", datetime.UTC), (name, None)):
        try:
            return datetime.datetime.fromisoformat(text(element, f"{{*}}{field}")).replace(
                tzinfo=zone
            )
        except ValueError:
            continue  # absent, or 0000-00-00 00:00:00: WordPress's "not yet" for drafts
    return None


def rfc822(value: str) -> datetime.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
