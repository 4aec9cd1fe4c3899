"""The writing desk: write, edit, comment and endorse from the browser, in the local preview only.

tools/preview.py mounts the desk's routes (handlers.py) and, as it serves a page, lets the desk add
its links and forms to it (Desk.inject): a Write link in the header, and on an entry's page an Edit
link, a Reply link on each comment and the comment form. Nothing of the desk is ever written into
the site, so a built or published site has none of it.
"""

from __future__ import annotations

import asyncio
import datetime
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from pelican import signals

from ...build import CHECKED
from ...content.comments import comment_slug
from ...content.entries import entries_by_slug
from ...content.headers import Header, parse_date
from ...content.validation import CheckedContent, check_content
from ...settings import CasebookSettings

HERE = Path(__file__).parent
BUILD_WAIT = 120  # seconds a save waits for the preview to build it before showing the page anyway
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")


class Desk:
    """The desk of one preview: its settings, its templates, and the builds it waits for."""

    def __init__(self, pelican: dict, port: int, rebuild: Callable[[], str]):
        self.pelican = pelican
        self.settings = CasebookSettings.from_pelican(pelican)
        self.origins = {f"{name}:{port}" for name in LOCAL_NAMES}
        self.rebuild = rebuild  # builds now (`invoke serve`, which has no build loop of its own)
        self.builds = None  # the preview's builds (`invoke livereload`): a save waits for one
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
        )
        self._content: tuple[str, CheckedContent] | None = None
        self._built: CheckedContent | None = None  # what the latest build checked
        signals.article_generator_finalized.connect(self.remember_checked)

    def follow(self, builds) -> None:
        """The preview builds after every change: a save waits for that build."""
        self.builds = builds

    @property
    def generation(self) -> str:
        return self.builds.latest if self.builds else ""

    def allows(self, host: str, origin: str | None) -> bool:
        """Whether a request names this server: not another site, nor a name pointed at it."""
        return host in self.origins and (origin is None or urlsplit(origin).netloc in self.origins)

    def remember_checked(self, generator) -> None:
        """Connected to `article_generator_finalized`: the content the build has checked and read,
        so that the pages of that build are not checked again (2 s for 5,000 entries)."""
        self.checked(generator.context.get(CHECKED))

    def checked(self, content: CheckedContent | None) -> None:
        """The content the next pages shown are drawn from (a build's, or pages drawn first)."""
        self._built = content

    def content(self, fresh: bool = False) -> CheckedContent:
        """The journal's content as the build checks it: as the latest build checked it, or read
        afresh (to save: a file may have been saved by hand since the last build)."""
        if fresh or not self._content or self._content[0] != self.generation:
            built, self._built = self._built, None
            checked = built if built and not fresh else check_content(self.settings)
            self._content = (self.generation, checked)
        return self._content[1]

    async def rebuilt(self) -> str:
        """Once the preview has built what was just saved: why that build failed, or ""."""
        self._content = None
        if self.builds is None:
            return self.rebuild()
        shown = self.builds.latest
        deadline = asyncio.get_running_loop().time() + BUILD_WAIT
        while self.builds.latest == shown and asyncio.get_running_loop().time() < deadline:
            await self.builds.newer_than(shown)
        self._content = None
        return self.builds.problems

    def entry_url(self, header: Header, slug: str) -> str:
        date = parse_date(header.value("date"))
        pattern = "DRAFT_URL" if header.value("status") == "draft" else "ARTICLE_URL"
        return "/" + self.pelican[pattern].format(date=date, slug=slug)

    def entry_at(self, folder: str) -> tuple[str, Header] | None:
        """The entry whose page is in this folder of the output ("2025/02/slug"), if any."""
        slug = folder.rstrip("/").rpartition("/")[2]
        header = entries_by_slug(self.content().entries, self.settings).get(slug)
        if header is None:
            return None
        try:
            url = self.entry_url(header, slug)
        except ValueError:  # a bad date: the build refused it, there is no page
            return None
        return (slug, header) if url.strip("/") == folder.strip("/") else None

    def render(self, template: str, **values) -> str:
        return self.templates.get_template(template).render(**values)

    def inject(self, relative: str, page: bytes, xsrf_form: Callable[[], str]) -> bytes:
        """A page of the site as the preview serves it: with the desk's links (and forms)."""
        page = insert_before(
            page,
            b"</ul>",
            b'<li><a class="desk-write" href="/write/">Write</a></li>',
            after=b'<nav aria-label="Main">',
        )
        folder = relative.removesuffix("index.html")
        if not relative.endswith("index.html") or folder.count("/") < 2:
            return page
        found = self.entry_at(folder)
        if not found:
            return page
        slug, header = found
        edit = f'\n<p class="desk-actions"><a href="/write/{escape(slug)}/">Edit this entry</a></p>'
        page = insert_before(page, b"</h1>", b"", tail=edit, after=b'<header class="entry-header">')
        page = add_reply_links(page, slug)
        form = self.comment_form(slug, header, xsrf_form())
        return insert_before(page, b"</main>", form.encode())

    def comment_form(self, slug: str, entry: Header, xsrf: str, **values) -> str:
        content = self.content()
        return self.render(
            "_comment_form.html",
            slug=slug,
            entry_author=entry.value("author"),
            draft=entry.value("status") == "draft",
            people=sorted(content.roster.people.values(), key=lambda person: person.name),
            comments=[
                (comment_slug(header), header.value("author"), header.value("date"))
                for header in sorted(
                    content.comments.get(slug, []), key=lambda header: header.value("date")
                )
            ],
            xsrf=Markup(xsrf),
            **{"form": None, "messages": None, "replyto": "", **values},
        )

    def now(self) -> datetime.datetime:
        return datetime.datetime.now()


def insert_before(
    page: bytes, marker: bytes, added: bytes, after: bytes = b"", tail: str = ""
) -> bytes:
    """`added` before the first `marker` (after `after`, when given); `tail` just after it."""
    start = page.find(after) if after else 0
    at = page.find(marker, max(start, 0)) if start >= 0 else -1
    if at < 0:
        return page
    end = at + len(marker)
    return page[:at] + added + page[at:end] + tail.encode() + page[end:]


COMMENT = re.compile(rb'<article class="comment[^"]*" id="comment-([a-z0-9-]+)"')


def add_reply_links(page: bytes, entry: str) -> bytes:
    """A Reply link at the end of each comment: the comment form, answering that comment."""
    parts, last = [], 0
    for match in COMMENT.finditer(page):
        end = page.find(b"</article>", match.end())
        if end < 0:
            break
        slug = match.group(1).decode()
        link = (
            f'<p class="desk-reply"><a href="/write/{entry}/comment/?replyto={slug}">'
            "Reply to this comment</a></p>"
        )
        parts += [page[last:end], link.encode()]
        last = end
    return b"".join(parts) + page[last:]
