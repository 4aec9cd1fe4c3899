"""Make rendered Markdown safe to publish, with nh3.

Entries and comments are written by many people; whatever they paste, the
site must not run it. Markdown's formatting survives; scripts, event
handlers, javascript:/data: links, frames, objects and styles do not.
"""

from __future__ import annotations

import nh3

FORMATTING_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "var",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},  # ids: heading anchors and footnotes
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "li": {"data-pagefind-weight"},  # lessons weigh more in search
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}  # relative links (the site's own pages) are kept too


def clean_html(html: str) -> str:
    return nh3.clean(
        html, tags=FORMATTING_TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None
    )
