"""The local preview: the built journal served at http://localhost:<port>, by Tornado.

An address with no page gets the site's own 404 page (404.html), as a web
server set up as the README says gives it.

With a `rebuild` (`invoke livereload`), the preview watches the journal's
files and builds again after every change, in a thread of its own while it
goes on serving the last build; changes saved during a build are built next.
When a save changed only entries and comments, the pages of those entries are
drawn first (tools/edited_first.py) and served from memory until the build is
swapped in; the Archive's search finds them a moment later (tools/search_edits.py).
Every page it serves carries a small script that waits for a build newer than
the one it was served from, then reloads unless the page is the same in it:
the browser ends on the latest build however quickly files are saved. The
archive also reloads when what its search loads changes (the pages saved since
the index was made, then the index caught up behind the build): the files it
loaded are gone. While the latest build has failed, the pages (the last good
build) show its messages over them. Both are added as a page is served, never
written into the site.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from markupsafe import escape
from tornado import web
from tornado.httpserver import HTTPServer
from watchfiles import awatch

from ..indexes.search import previous_bundle
from ..problems import UserError, display_path
from .desk.handlers import routes as desk_routes
from .edited_first import EditedFirst
from .search_edits import EDITS, SERVED_AT, SearchEdits

NOT_FOUND = "404.html"
NO_SITE_YET = (
    b'<!doctype html><html lang="en"><title>Page not found</title><h1>Page not found</h1></html>'
)
LATEST_BUILD = (
    "/.casebook-preview/latest-build"  # no page of the site has a name starting with a dot
)
WAIT = 25  # seconds a page's question waits for a newer build before the page asks again
# The archive's search (theme/templates/archives.html) loads the search bundle named here: such a
# page is not the same once a newer bundle is swapped in, whose files have other names.
SEARCHES = b" data-bundle="

FOLLOW = f"""<script type="module">
// Casebook's preview (never published): reload once this page is not the same any more (a newer
// build, or the search index it loaded brought up to date).
let shown = "{{build}}";
const page = new URLSearchParams({{page: {{page}}, shows: "{{shows}}"}});
for (;;) {{
  try {{
    const answer = await fetch("{LATEST_BUILD}?shown=" + shown + "&" + page, {{cache: "no-store"}});
    const [latest, same] = (await answer.text()).split(" ");
    if (same) {{ shown = latest; continue; }}
    location.reload();
    break;
  }} catch {{
    await new Promise((resume) => setTimeout(resume, 1000));  // the preview is restarting
  }}
}}
</script>
"""
PROBLEMS = """<section id="casebook-preview-problems" role="alert" tabindex="0"
  aria-labelledby="casebook-preview-heading"
  style="position: fixed; inset: auto 0 0 0; z-index: 100;
  max-height: 60vh; overflow: auto; padding: 1rem 1.5rem; background: #5c0a0a; color: #fff;
  border-top: 4px solid #ffb36b; font: 1rem/1.5 system-ui, sans-serif">
<h2 id="casebook-preview-heading" style="margin: 0 0 0.5rem; font-size: 1.15rem; color: #fff">
The last build failed: this page is from the build before it. Fix the problems and save; the page
reloads by itself.</h2>
<pre style="margin: 0; padding: 0; border: 0; background: none; color: #fff; white-space: pre-wrap;
  font: 0.9rem/1.45 ui-monospace, monospace">{problems}</pre>
</section>
"""


class SiteFiles(web.StaticFileHandler):
    """The output folder's files; for an address with no page, the site's 404 page."""

    desk = None  # the writing desk (tools/desk), set on a subclass for each preview

    def compute_etag(self) -> None:
        # Tornado keeps a file's digest while it runs: a page built again would be "unchanged".
        return None

    def write_error(self, status_code: int, **kwargs) -> None:
        if status_code != 404:
            return super().write_error(status_code, **kwargs)
        page = Path(self.root) / NOT_FOUND
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(self.shown(page.read_bytes() if page.is_file() else NO_SITE_YET, NOT_FOUND))

    def prepare(self) -> None:
        # With the desk, the preview answers only its own address (DNS rebinding: another site's
        # name pointed at 127.0.0.1 must not read the journal, nor post to the desk).
        if self.desk and not self.desk.allows(
            self.request.host, self.request.headers.get("Origin")
        ):
            raise web.HTTPError(403)

    @property
    def adds_to_pages(self) -> bool:
        return self.desk is not None

    def shown(self, page: bytes, relative: str) -> bytes:
        """A page as the browser gets it: with the writing desk's links and forms, if it has one."""
        return self.desk.inject(relative, page, self.xsrf_form_html) if self.desk else page

    def page_shown(self) -> bytes:
        """The page at this address as shown, worked out once per request (its size, then it)."""
        if not hasattr(self, "_page_shown"):
            relative = Path(self.absolute_path).relative_to(self.root).as_posix()
            self._page_shown = self.shown(self.page(relative), relative)
        return self._page_shown

    def page(self, relative: str) -> bytes:
        return Path(self.root, relative).read_bytes()

    def get_content(self, abspath: str, start: int | None = None, end: int | None = None):
        # An instance's, not the class's: a page shown depends on this request (its XSRF token).
        if not abspath.endswith(".html") or not self.adds_to_pages:
            return super().get_content(abspath, start, end)
        return self.page_shown()[start:end]

    def get_content_size(self) -> int:
        if not self.absolute_path.endswith(".html") or not self.adds_to_pages:
            return super().get_content_size()
        return len(self.page_shown())

    def should_return_304(self) -> bool:
        # A page is shown with what changes beside the file: the desk's forms, a build's messages.
        return False if self.adds_to_pages else super().should_return_304()


class Builds:
    """The latest build of this preview (its name), the messages of the latest build if it failed,
    and the pages drawn ahead of the build under way (by their path in the output folder)."""

    edits: SearchEdits | None = None  # the pages saved since the served search index was made

    def __init__(self, output: Path):
        self.output = output
        self.run, self.number, self.problems = secrets.token_hex(4), 0, ""
        self.early: dict[str, bytes] = {}
        self.finished = asyncio.Event()

    @property
    def latest(self) -> str:
        return f"{self.run}-{self.number}"  # a restarted preview's builds have other names

    def drew(self, pages: dict[str, bytes]) -> None:
        """Pages drawn ahead of the build (they passed the journal's check): shown until it is
        done."""
        self.finish("", pages)

    def done(self, problems: str) -> None:
        self.finish(problems, {})

    def finish(self, problems: str, early: dict[str, bytes]) -> None:
        self.number, self.problems, self.early = self.number + 1, problems, early
        self.changed()

    def changed(self) -> None:
        """Wakes every page waiting for a newer build: each then asks whether it is the same."""
        self.finished.set()
        self.finished = asyncio.Event()

    async def newer_than(self, shown: str) -> str:
        if shown == self.latest:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.finished.wait(), WAIT)
        return self.latest

    def follow(self, shown: bytes, page: bytes, relative: str) -> bytes:
        """The page as shown (`shown`), following the builds; `page`: the page as built."""
        added = (
            FOLLOW.replace("{build}", self.latest)
            .replace("{page}", json.dumps(relative).replace("<", "\\u003c"))
            .replace("{shows}", self.shows(page))
        )
        if self.problems:
            added += PROBLEMS.format(problems=escape(self.problems))
        if self.edits and SEARCHES in page:
            shown = shown.replace(
                SEARCHES, f' data-edits="{SERVED_AT}{EDITS}"'.encode() + SEARCHES, 1
            )
        before, end, after = shown.rpartition(b"</body>")
        return before + added.encode() + end + after if end else shown + added.encode()

    def shows(self, page: bytes) -> str:
        """What a page shows that a newer build may change: the page as built, the problems, and
        for a page that searches, the search bundles it loads."""
        bundle = self.search_bundle() + self.edits.state if SEARCHES in page and self.edits else b""
        return hashlib.blake2b(page + self.problems.encode() + bundle, digest_size=16).hexdigest()

    def search_bundle(self) -> bytes:
        """Which search bundle is served: its entry file names its index files by their digests."""
        try:
            return (self.output / "pagefind" / "pagefind-entry.json").read_bytes()
        except OSError:
            return b""

    def shows_now(self, relative: str) -> str:
        return self.shows(self.page(relative) or b"")

    def page(self, relative: str) -> bytes | None:
        """The page as built now, at this path in the output folder: drawn first, or the file."""
        page = self.early.get(relative)
        if page is None:
            path = (self.output / relative).resolve()
            inside = path.is_relative_to(self.output.resolve())
            page = path.read_bytes() if inside and path.is_file() else None
        return page


class LivePages(SiteFiles):
    """SiteFiles for `invoke livereload`: every page follows the builds (see Builds.follow), and
    a page drawn ahead of the build is served before the build is done."""

    builds: Builds  # set on a subclass for each preview
    adds_to_pages = True
    drawn_early = False  # whether this request's page is one drawn ahead of the build

    def shown(self, page: bytes, relative: str) -> bytes:
        return self.builds.follow(super().shown(page, relative), page, relative)

    def page(self, relative: str) -> bytes:
        page = self.builds.page(relative)
        return super().page(relative) if page is None else page

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        relative = os.path.relpath(absolute_path, root)
        if self.request.path.endswith("/"):
            relative = os.path.join(relative, self.default_filename)
        relative = os.path.normpath(relative)
        if relative in self.builds.early:  # a new entry's page has no file yet
            self.drawn_early = True
            return os.path.join(root, relative)
        if relative.startswith(f"pagefind{os.sep}") and not os.path.exists(absolute_path):
            # The Archive asks for a file of the search bundle it loaded, replaced since.
            kept = previous_bundle(Path(root)) / os.path.relpath(relative, "pagefind")
            if kept.is_file():
                return str(kept)
        return super().validate_absolute_path(root, absolute_path)

    def get_modified_time(self):
        return None if self.drawn_early else super().get_modified_time()


class LatestBuild(web.RequestHandler):
    """A page asks `?shown=<its build>&page=<its file>&shows=<Builds.shows>`; the answer, once a
    newer build or search bundle is in place, or after WAIT: the latest build, followed by " same"
    if the page is the same in it (no need to reload)."""

    def initialize(self, builds: Builds) -> None:
        self.builds = builds

    async def get(self) -> None:
        shown = self.get_argument("shown", "")
        latest = await self.builds.newer_than(shown)
        page, shows = self.get_argument("page", ""), self.get_argument("shows", "")
        same = page and self.builds.shows_now(page) == shows
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{latest} same" if same else latest)


def serve(
    output: Path,
    host: str,
    port: int,
    rebuild: Callable[[], str] | None = None,
    watched: tuple[str, ...] = (),
    desk=None,
) -> None:
    """Serve the output folder until Ctrl+C. With `rebuild` (builds; gives a failed build's
    messages, or ""), build first, then again after each change to the `watched` files and
    folders. With a `desk` (tools/desk), the writing desk too."""
    if desk and host not in ("localhost", "127.0.0.1", "::1"):
        raise UserError(
            f"The writing desk is for this computer only, and {host} is not it: serve the journal "
            "at localhost."
        )
    files = {"path": str(output), "default_filename": "index.html"}
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            follow_builds(files, host, port, rebuild, watched, desk)
            if rebuild
            else serve_files(files, host, port, desk)
        )


async def serve_files(files: dict, host: str, port: int, desk=None) -> None:
    pages = type("SiteFiles", (SiteFiles,), {"desk": desk}) if desk else SiteFiles
    listen(application([(r"/(.*)", pages, files)], desk), host, port)
    await asyncio.Event().wait()  # until Ctrl+C


async def follow_builds(
    files: dict,
    host: str,
    port: int,
    rebuild: Callable[[], str],
    watched: tuple[str, ...],
    desk=None,
) -> None:
    loop = asyncio.get_running_loop()
    builds = Builds(Path(files["path"]))
    builds.edits = edits = SearchEdits(
        builds.output, lambda: loop.call_soon_threadsafe(builds.changed)
    )
    pages = type("LivePages", (LivePages,), {"builds": builds, "desk": desk})
    bundles = type("SiteFiles", (SiteFiles,), {"desk": desk})
    if desk:
        desk.follow(builds)
    server = listen(
        application(
            [
                (LATEST_BUILD, LatestBuild, {"builds": builds}),
                (f"{SERVED_AT}(.*)", bundles, {"path": str(edits.folder)}),
                (r"/(.*)", pages, files),
            ],
            desk,
        ),
        host,
        port,
    )
    first = EditedFirst(Path(files["path"]))

    async def build(changed: set[Path]) -> None:
        drawn = first.draw(changed) if changed else {}
        if drawn:
            if desk:
                desk.checked(first.checked)  # its forms on those pages: not checked once more
            builds.drew(drawn)
            edits.drew(drawn, first.left, first.last)
            indexed = asyncio.create_task(asyncio.to_thread(edits.index))  # beside the build
        # In a thread: the last build, and the pages drawn early, are served meanwhile.
        problems = await asyncio.to_thread(rebuild)
        if drawn:
            await indexed
        first.build_ended(problems)
        if edits.build_ended(problems):  # its pages drawn first are dropped: from search too
            await asyncio.to_thread(edits.index)
        builds.done(problems)

    changed: asyncio.Queue[set[Path]] = asyncio.Queue()
    watcher = asyncio.create_task(watch(watched, changed))
    await asyncio.sleep(0)  # it watches from now on: what is saved during the first build is next
    try:
        await build(set())
        while True:
            paths = await changed.get()
            while not changed.empty():  # all that was saved during the last build
                paths |= changed.get_nowait()
            names = sorted({display_path(path) for path in paths})
            print(
                f"Changed: {', '.join(names[:3])}{' and more' if len(names) > 3 else ''}. "
                "Building again."
            )
            await build(paths)
    finally:
        edits.close()
        watcher.cancel()
        server.stop()


async def watch(watched: tuple[str, ...], changed: asyncio.Queue) -> None:
    async for changes in awatch(*watched):
        changed.put_nowait({Path(path) for _, path in changes})


def application(routes: list, desk=None) -> web.Application:
    """The preview's routes; with a desk, its routes first, and every POST needs an XSRF token."""
    if desk is None:
        return web.Application(routes)
    return web.Application([*desk_routes(desk), *routes], xsrf_cookies=True)


def listen(application: web.Application, host: str, port: int) -> HTTPServer:
    try:
        return application.listen(port, address=host)
    except OSError as error:
        raise UserError(
            f"The preview cannot use http://{host}:{port}/ ({error.strerror}): is it running "
            f"already? Stop it with Ctrl+C, or choose another port: --port {port + 1}."
        ) from None
