"""The desk's pages and what its forms post to (Tornado handlers).

Every request must name the local server as its Host (and as its Origin, when it has one): a web
page elsewhere, or a name that another site has pointed at 127.0.0.1 (DNS rebinding), gets 403.
Every POST carries Tornado's XSRF token. Paths come from authoring.py and from the slugs of entries
that exist, never from the request.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

from markupsafe import Markup
from tornado import web

from ...content.entries import entries_by_slug, entry_slug, slug_for
from ...content.headers import Header, digest_of, source_text
from ...rendering.reader import CasebookMarkdownReader
from ..authoring import (
    RefusedError,
    check_slug_is_free,
    comment_path,
    comment_problems,
    entry_path,
    entry_problems,
    write_new_file,
)
from . import Desk
from .forms import FORM, CommentForm, EntryForm, Messages, by_field, merged, privacy_findings


class DeskHandler(web.RequestHandler):
    def initialize(self, desk: Desk) -> None:
        self.desk = desk

    def prepare(self) -> None:
        if not self.desk.allows(self.request.host, self.request.headers.get("Origin")):
            raise web.HTTPError(403, "the writing desk answers only its own pages")

    def argument(self, name: str) -> str:
        return self.get_body_argument(name, "") if self.request.method == "POST" else ""

    def page(self, template: str, status: int = 200, **values) -> None:
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.finish(self.desk.render(template, xsrf=Markup(self.xsrf_form_html()), **values))

    def write_error(self, status_code: int, **kwargs) -> None:
        self.finish(
            self.desk.render(
                "message.html",
                title="Not available",
                message=f"{self._reason}. Go back to the journal and try again from its pages.",
            )
        )


class EntryDesk(DeskHandler):
    """/write/ (a new entry) and /write/<slug>/ (that entry, edited)."""

    def get(self, slug: str = "") -> None:
        header = existing(self.desk, slug)
        if header is None:
            self.show(EntryForm.blank(self.desk.now()))
            return
        data = header.path.read_bytes()
        self.show(EntryForm.of_file(header, source_text(data)), slug, digest_of(data))

    def show(self, form: EntryForm, slug: str = "", opened: str = "", status: int = 200, **values):
        content = self.desk.content()
        self.page(
            "entry_form.html",
            status,
            form=form,
            slug=slug,
            opened=opened,
            people=sorted(content.roster.people, key=str.lower),
            channels=self.desk.settings.channels,
            tags=sorted(set(content.tag_spelling.values()), key=str.lower),
            **{"messages": None, "preview": None, **values},
        )

    async def post(self, slug: str = "") -> None:
        self.desk.content(fresh=True)  # a save is checked against the files as they are now
        header = existing(self.desk, slug)
        form = posted_entry(self.desk, self.argument, header)
        action = self.argument("action")
        path, text, messages = checked(self.desk, form, header, action == "draft")
        opened = self.argument("opened")
        if header is not None and digest_of(header.path.read_bytes()) != opened:
            messages.errors.setdefault(FORM, []).append(
                f"{header.path.name} was changed on disk since you opened this form, so saving "
                "would lose those changes. Copy your text, open the entry again (Edit), and make "
                "your changes there."
            )
        if action == "preview":
            self.show(form, slug, opened, messages=messages, preview=preview(self.desk, path, text))
            return
        if messages.holds(self.argument("warned")):
            self.show(form, slug, opened, 422 if messages.errors else 200, messages=messages)
            return
        try:
            if header is None:
                write_new_file(path, text)
            else:
                replace_file(path, text)
        except RefusedError as refusal:
            messages.errors[FORM] = [str(refusal)]
            self.show(form, slug, opened, 422, messages=messages)
            return
        failed = await self.desk.rebuilt()
        self.after_save(path, failed)

    def after_save(self, path: Path, failed: str) -> None:
        if failed:
            self.page("message.html", title="Saved, but the build failed", message=failed)
            return
        for slug, header in entries_by_slug(
            self.desk.content().entries, self.desk.settings
        ).items():
            if header.path == path:
                self.redirect(self.desk.entry_url(header, slug), status=303)
                return
        self.redirect("/", status=303)


class CommentDesk(DeskHandler):
    """/write/<slug>/comment/: the comment form of an entry (also on the entry's page)."""

    def get(self, slug: str) -> None:
        self.show(slug, existing(self.desk, slug), replyto=self.get_query_argument("replyto", ""))

    def show(self, slug: str, entry, status: int = 200, **values) -> None:
        form = self.desk.comment_form(slug, entry, self.xsrf_form_html(), **values)
        self.page("comment_page.html", status, slug=slug, entry=entry, form=Markup(form))

    async def post(self, slug: str) -> None:
        self.desk.content(fresh=True)  # a save is checked against the files as they are now
        entry = existing(self.desk, slug)
        form = CommentForm.posted(self.argument)
        settings, content = self.desk.settings, self.desk.content()
        path = comment_path(settings, slug, form.author or "someone", self.desk.now())
        text = form.file_text(self.desk.now())
        errors = by_field(path, text, comment_problems(settings, content, slug, path, text))
        warnings = privacy_findings(settings, content, path, text)
        if not form.text.strip():
            warnings = merged(
                warnings, {"text": ["This comment has no text yet: write it in the box."]}
            )
        messages = Messages(errors, warnings)
        if messages.holds(self.argument("warned")):
            self.show(slug, entry, 422 if errors else 200, form=form, messages=messages)
            return
        try:
            write_new_file(path, text)
        except RefusedError as refusal:
            messages.errors[FORM] = [str(refusal)]
            self.show(slug, entry, 422, form=form, messages=messages)
            return
        failed = await self.desk.rebuilt()
        if failed:
            self.page("message.html", title="Saved, but the build failed", message=failed)
            return
        self.redirect(f"{self.desk.entry_url(entry, slug)}#comment-{path.stem}", status=303)


class LiveCheck(DeskHandler):
    """/write/check: the entry form's messages and preview as it is typed (JSON, for desk.js)."""

    def post(self) -> None:
        header = existing(self.desk, self.argument("slug"))
        form = posted_entry(self.desk, self.argument, header)
        path, text, messages = checked(self.desk, form, header, False)
        shown = self.desk.render("_preview.html", preview=preview(self.desk, path, text))
        self.set_header("Cache-Control", "no-store")
        self.finish({**messages.as_json(), "preview": shown})


def existing(desk: Desk, slug: str) -> Header | None:
    """The entry with this address (None for a new one); 404 when there is none."""
    if not slug:
        return None
    header = entries_by_slug(desk.content().entries, desk.settings).get(slug)
    if header is None:
        raise web.HTTPError(404, f'No entry has the address "{slug}"')
    return header


def posted_entry(desk: Desk, argument, header: Header | None) -> EntryForm:
    """The form as sent. An edit keeps the entry's address whatever its title is now."""
    form = EntryForm.posted(argument)
    if header is None:
        return form
    slug = entry_slug(header, desk.settings)
    keep = header.value("slug") or ("" if slug_for(form.title, desk.settings) == slug else slug)
    return replace(form, slug=keep)


def checked(desk: Desk, form: EntryForm, header, draft: bool) -> tuple[Path, str, Messages]:
    """The would-be file, where it goes, and the build's messages on it by field."""
    settings, content = desk.settings, desk.content()
    slug = form.slug or slug_for(form.title, settings)
    path = header.path if header else entry_path(settings, slug, form.when(desk.now()))
    text = form.file_text(draft)
    errors, warnings = entry_problems(settings, content, path, text)
    placed = by_field(path, text, errors)
    if header is None and form.title:
        try:
            check_slug_is_free(content.entries, settings, slug)
        except RefusedError as taken:
            placed = merged(placed, {"title": [str(taken)]})
    found = privacy_findings(settings, content, path, text)
    return path, text, Messages(placed, merged(by_field(path, text, warnings), found))


def preview(desk: Desk, path: Path, text: str) -> dict:
    """The would-be entry as the journal's own reader makes it: sanitised, lessons found."""
    reader = CasebookMarkdownReader(desk.pelican)
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / path.name
        draft.write_text(text, encoding="utf-8")
        try:
            html, metadata = reader.read(str(draft))
        except Exception as error:  # the build would fail on it too: say so, keep the text
            return {"failed": f"{type(error).__name__}: {error}"}
    return {
        "html": Markup(html),
        "lessons": [Markup(lesson.html) for lesson in metadata["lessons"]],
    }


def replace_file(path: Path, text: str) -> None:
    """Write an edited file whole or not at all: a build never reads half of it."""
    partial = path.with_name(f".{path.name}.desk")  # hidden: IGNORE_FILES (".*") leaves it out
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def routes(desk: Desk) -> list:
    options = {"desk": desk}
    return [
        (r"/write/", EntryDesk, options),
        (r"/write/check", LiveCheck, options),
        (
            r"/write/static/(.*)",
            web.StaticFileHandler,
            {"path": str(Path(__file__).parent / "static")},
        ),
        (r"/write/([a-z0-9-]+)/", EntryDesk, options),
        (r"/write/([a-z0-9-]+)/comment/", CommentDesk, options),
    ]
