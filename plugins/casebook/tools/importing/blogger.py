"""Blogger's two export formats, both Atom.

The classic export (Settings → Back up content) tells kinds apart by a category whose term
ends in kind#post, kind#comment, kind#page, kind#settings or kind#template; drafts carry
<app:draft>yes</app:draft>, a comment names its post in <thr:in-reply-to ref="…"> and the
comment it answers in <link rel="related">, and a comment deleted there keeps its place with
the extended property blogger.contentRemoved.

Google Takeout's feed.atom says <blogger:type> (POST, COMMENT, PAGE) and <blogger:status>
(LIVE, DRAFT, DELETED, SPAM, SOFT_TRASHED…); a comment names its post in <blogger:parent>
and the comment it answers in <blogger:inReplyTo>; a post's address is <blogger:filename>.
"""

from __future__ import annotations

import datetime
import html
import re
from xml.etree.ElementTree import Element

from .export_xml import text
from .model import Comment, Export, Post, person

KIND_TERM = re.compile(r"/kind#(\w+)$")


def read_classic(root: Element) -> Export:
    export = Export("a Blogger export")
    for entry in root.iterfind("{*}entry"):
        kind = next(
            (
                match.group(1)
                for category in entry.iterfind("{*}category")
                if (match := KIND_TERM.search(category.get("term", "")))
            ),
            "entry of no kind",
        )
        draft = text(entry, "{*}control/{*}draft").lower() == "yes"
        if kind == "post":
            keep(export, entry, lambda: post(entry, link(entry, "alternate"), draft))
        elif kind == "comment" and removed(entry):
            export.skipped["deleted comment"] += 1
        elif kind == "comment" and draft:
            export.skipped["unpublished comment"] += 1
        elif kind == "comment":
            in_reply_to = entry.find("{*}in-reply-to")
            post_ref = in_reply_to.get("ref", "") if in_reply_to is not None else ""
            keep(export, entry, lambda: comment(entry, post_ref, link(entry, "related")))
        else:
            export.skipped[kind] += 1
    return export


def read_takeout(root: Element) -> Export:
    export = Export("a Blogger export (Google Takeout)")
    for entry in root.iterfind("{*}entry"):
        kind, status = text(entry, "{*}type").lower(), text(entry, "{*}status").lower() or "live"
        if text(entry, "{*}trashed"):  # an empty <blogger:trashed/> is on live items too
            status = "trashed"
        if kind == "post" and status in ("live", "draft"):
            address = text(entry, "{*}filename") or link(entry, "alternate")
            keep(export, entry, lambda: post(entry, address, status == "draft"))
        elif kind == "comment" and status == "live":
            keep(
                export,
                entry,
                lambda: comment(entry, text(entry, "{*}parent"), text(entry, "{*}inReplyTo")),
            )
        elif kind in ("post", "comment"):
            export.skipped[f"{status.replace('_', ' ')} {kind}"] += 1
        else:
            export.skipped[kind or "entry of no kind"] += 1
    return export


def keep(export: Export, entry: Element, read) -> None:
    """Add what `read()` makes of an entry; an entry that cannot be read is a problem, not the
    end."""
    try:
        item = read()
    except ValueError as error:
        title = text(entry, "{*}title") or text(entry, "{*}id")
        export.problems.append(f'"{title}": {error}')
        return
    (export.posts if isinstance(item, Post) else export.comments).append(item)


def post(entry: Element, address: str, draft: bool) -> Post:
    tags = tuple(
        term
        for category in entry.iterfind("{*}category")
        if (term := category.get("term", "").strip()) and not KIND_TERM.search(term)
    )
    return Post(
        key(text(entry, "{*}id")),
        html.unescape(text(entry, "{*}title")),
        content(entry),
        published(entry),
        author(entry),
        tags,
        address,
        draft,
    )


def comment(entry: Element, post_ref: str, parent_ref: str) -> Comment:
    post_key, parent = key(post_ref), key(parent_ref)
    return Comment(
        key(text(entry, "{*}id")),
        post_key,
        "" if parent == post_key else parent,
        content(entry),
        published(entry),
        author(entry),
    )


def key(reference: str) -> str:
    """The number that ends an id, a reference or a feed link: tag:blogger.com,1999:blog-1.post-42
    is 42."""
    return re.split(r"[-/.]", reference.strip().rstrip("/"))[-1]


def link(entry: Element, relation: str) -> str:
    links = (
        found.get("href", "") for found in entry.iterfind("{*}link") if found.get("rel") == relation
    )
    return next(links, "")


def removed(entry: Element) -> bool:
    return any(
        found.get("name") == "blogger.contentRemoved" and found.get("value", "true") == "true"
        for found in entry.iterfind("{*}extendedProperty")
    )


def content(entry: Element) -> str:
    found = entry.find("{*}content")
    body = (found.text or "") if found is not None else ""
    if found is not None and found.get("type", "text") == "text":
        return html.escape(body).replace(
            "\n", "<br>"
        )  # plain text: its line breaks are the writer's
    return body


def author(entry: Element) -> str:
    return person(text(entry, "{*}author/{*}name"))


def published(entry: Element) -> datetime.datetime:
    value = text(entry, "{*}published") or text(entry, "{*}updated")
    if not value:
        raise ValueError("it has no date.")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f'its date "{value}" is not one we can read (like 2024-03-05T14:30:00.000Z).'
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)  # Atom dates are UTC
