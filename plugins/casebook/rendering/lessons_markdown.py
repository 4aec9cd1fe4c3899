"""A Python-Markdown extension that finds an entry's lessons while it is rendered.

The list items under a "Lessons learned" heading (any level, any case, a
trailing colon allowed) each get a stable anchor, and their HTML is kept on
the Markdown instance as `md.lessons` for the reader to hand on. Doing this on
Markdown's own tree costs nothing extra: no second parse of the HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LISTS = ("ul", "ol")


@dataclass(frozen=True, slots=True)
class Lesson:
    html: str
    text: str
    anchor: str


def is_lessons_heading(text: str) -> bool:
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip().lower() == "lessons learned"


class LessonsTreeprocessor(Treeprocessor):
    def run(self, root):
        children = list(root)
        for index, element in enumerate(children):
            if element.tag in HEADINGS and is_lessons_heading("".join(element.itertext())):
                self.md.lessons = self.mark_lessons(children[index + 1 :], level=element.tag)
                return

    def mark_lessons(self, following, level: str) -> list[Lesson]:
        lessons, anchors = [], set()
        for element in following:
            if element.tag in HEADINGS and element.tag <= level:
                break  # the next section of the same or a higher level
            if element.tag in LISTS:
                for item in element.findall("li"):
                    text = " ".join("".join(item.itertext()).split())
                    anchor = unique(f"lesson-{anchor_words(text)}", anchors)
                    item.set("id", anchor)
                    item.set("class", "lesson")
                    item.set(
                        "data-pagefind-weight", "4"
                    )  # lessons count more than body text in search
                    lessons.append(Lesson(self.inner_html(item), text, anchor))
        return lessons

    def inner_html(self, item) -> str:
        html = self.md.serializer(item)
        html = html[html.index(">") + 1 : html.rindex("</li>")].strip()
        for postprocessor in self.md.postprocessors:  # what Markdown does to the whole page
            html = postprocessor.run(html)
        return html


def anchor_words(text: str) -> str:
    """The lesson's first words, so its anchor survives lessons added or moved around it."""
    words = " ".join(text.split()[:8])
    return slugify(words, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]) or "item"


def unique(anchor: str, taken: set[str]) -> str:
    candidate, number = anchor, 2
    while candidate in taken:
        candidate, number = f"{anchor}-{number}", number + 1
    taken.add(candidate)
    return candidate


class LessonsExtension(Extension):
    def extendMarkdown(self, md):
        self.md = md
        md.registerExtension(self)  # so that md.reset() calls our reset() between files
        self.reset()
        # After every built-in tree step (inline, prettify, unescape: priorities 20 to 0).
        md.treeprocessors.register(LessonsTreeprocessor(md), "casebook_lessons", -10)

    def reset(self):
        self.md.lessons = []
