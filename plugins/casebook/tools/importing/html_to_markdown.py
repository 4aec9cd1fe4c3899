"""An imported post's or comment's HTML as the Markdown Casebook's writers type.

markdownify does the conversion; this subclass adapts it to the journal's Markdown
(Python-Markdown with nl2br): a line break is a plain newline, and Blogger's habit of one
<div> per typed line (an empty one, <div><br></div>, for a blank line) reads as lines of
one paragraph. Tags Markdown has no word for (span, font, u, and strike-through, which the
journal's Markdown does not draw) keep their text and lose the tag; styles go with them.
"""

from __future__ import annotations

import re

from markdownify import ATX, MarkdownConverter

UNFORMATTED = ["del", "s", "strike", "u", "ins"]
# What Python-Markdown would read as formatting in running text, at the start of a line...
BLOCK_MARK = re.compile(r"^(\s*)(#{1,6}|>|[-+]|-{2,})(?=\s|$)")
NUMBERED = re.compile(r"^(\s*\d+)\.(?=\s|$)")
# ...and anywhere. "\" first, so the escapes added after it stay escapes.
INLINE_MARK = re.compile(r"([`\[\]])")
# A "<" or "&" that would start a tag or an entity: Python-Markdown has no escape for these.
TAG_OR_ENTITY = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?\w+;)")
LIST_MARKER = re.compile(r"(?:-|\d+\.) ")
BLANK_LINES = re.compile(r"\n{3,}")


class JournalMarkdown(MarkdownConverter):
    def __init__(self):
        # wrap: whitespace in the HTML source is a space, as a browser shows it (wrap_width None: no
        # refilling)
        super().__init__(
            heading_style=ATX, bullets="-", strip=UNFORMATTED, wrap=True, wrap_width=None
        )

    def convert_div(self, el, text, parent_tags):
        if "_inline" in parent_tags:
            return super().convert_div(el, text, parent_tags)
        if not text.strip():
            return "\n\n" if el.find("br") else ""  # Blogger's blank line
        # A line of its own, however deep the divs; a paragraph or list inside keeps its blank
        # lines.
        leading = "\n\n" if text.startswith("\n\n") else "\n"
        trailing = "\n\n" if text.endswith("\n\n") else "\n"
        return leading + text.strip("\n") + trailing

    def convert_list(self, el, text, parent_tags):
        converted = super().convert_list(el, text, parent_tags)
        # Text right after a list would join its last item: a blank line ends it (nested lists
        # excepted).
        return converted if "li" in parent_tags else converted.rstrip("\n") + "\n\n"

    convert_ul = convert_ol = convert_list

    def convert_li(self, el, text, parent_tags):
        item = super().convert_li(el, text, parent_tags)
        marker = LIST_MARKER.match(item)
        if not marker:
            return item
        # markdownify indents what is inside an item by its marker's width; Python-Markdown wants
        # four spaces.
        inside = " " * marker.end()
        first, *rest = item.split("\n")
        return "\n".join(
            [
                first,
                *(
                    f"    {line[len(inside) :]}" if line.startswith(inside) else line
                    for line in rest
                ),
            ]
        )

    def convert_pre(self, el, text, parent_tags):
        if not parent_tags & {"li", "blockquote"}:
            return super().convert_pre(el, text, parent_tags)
        # Python-Markdown finds fenced code only at the top level: in a list or a quote, code is
        # indented.
        return (
            "\n\n"
            + "\n".join(f"    {line}" if line else "" for line in text.strip("\n").split("\n"))
            + "\n\n"
        )

    def process_text(self, el, parent_tags=None):
        text = super().process_text(el, parent_tags)
        # The source's newline after a <br> is a space in HTML; on a line of its own it would indent
        # it.
        return text.lstrip(" ") if getattr(el.previous_sibling, "name", None) == "br" else text

    def escape(self, text, parent_tags):
        text = text.replace("\\", "\\\\").replace("\xa0", " ")
        text = super().escape(text, parent_tags)  # * and _
        text = INLINE_MARK.sub(r"\\\1", text)
        text = NUMBERED.sub(r"\1\\.", BLOCK_MARK.sub(r"\1\\\2", text))
        return TAG_OR_ENTITY.sub(lambda found: "&lt;" if found.group() == "<" else "&amp;", text)


def markdown_of(html: str) -> str:
    markdown = JournalMarkdown().convert(html)
    # Trailing spaces go, so markdownify's hard line break ("  \n") is a plain newline: nl2br makes
    # it a <br>.
    markdown = "\n".join(line.rstrip() for line in markdown.splitlines())
    return BLANK_LINES.sub("\n\n", markdown).strip()
