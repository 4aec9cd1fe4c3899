"""Save an edit while `invoke livereload` runs, and time what the writer waits for.

The preview runs as a user starts it, in the generated journal's folder (the project's code
linked in beside its content), so the figures include the file watcher and a warm process:
- preview_after_edit_seconds: from the save until the preview serves the entry's rebuilt page,
  asked for as a page of the preview asks (it waits for a newer build, or pages drawn ahead of it:
  tools/edited_first.py), then read over HTTP;
- site_after_edit_seconds: until the build that follows has swapped the whole site in (the page is
  in the served folder);
- search_after_edit_seconds: until the Archive's search finds the edited sentence: in the pages
  saved since the index was made, which the preview indexes on their own (tools/search_edits.py),
  or in the index brought up to date;
- index_after_edit_seconds: until the served index itself holds the sentence (Pagefind names each
  page's fragment by its contents, so a new fragment with the sentence is the new bundle, swapped
  in whole);
- preview_after_edit_cpu_seconds: the CPU time the preview's process spent until the page was
  served (Linux's /proc), which the machine's other work does not inflate as it does wall time.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from pelican.plugins.casebook.tools.preview import LATEST_BUILD
from pelican.plugins.casebook.tools.search_edits import EDITS, edits_folder

ROOT = Path(__file__).resolve().parent.parent
LINKED = ("tasks.py", "pelicanconf.py", "plugins", "theme")  # the project's code, beside content/
WORDS = ("quokka", "axolotl", "pangolin", "narwhal", "tapir", "okapi", "capybara", "wombat")
POLL = 0.01  # seconds between looks at the served folder


def measure_preview(folder: Path, edited: Path, rounds: int, progress=print) -> dict:
    """`rounds` edits to one entry under a running `invoke livereload`; every round's times."""
    for name in LINKED:
        (folder / name).symlink_to(ROOT / name)
    output = folder / "output"
    page = entry_page(edited)
    log = (folder / "livereload.log").open("w")
    port = free_port()
    preview = subprocess.Popen(
        [sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    served = Served(port)
    try:
        progress("Casebook preview: first build under `invoke livereload`…")
        wait_for(lambda: search_done(output), preview, folder)
        shown, cpu, later = [], [], {"site": [], "search": [], "index": []}
        for number in range(rounds):
            word = WORDS[number % len(WORDS)] + "x" * (number // len(WORDS))
            before, build = fragments(output), served.latest()
            edited.write_text(edited.read_text() + f"\nThe {word} was on the line too.\n")
            saved, cpu_before = time.perf_counter(), cpu_seconds(preview.pid)
            while word not in served.page(page):
                build = served.newer_than(build)
            shown.append(time.perf_counter() - saved)
            cpu.append(cpu_seconds(preview.pid) - cpu_before)
            reached = wait_for_each(
                {
                    "site": lambda: word in page_text(output / page),
                    "search": lambda: (
                        edits_hold(output, word) or bundle_holds(output, before, word)
                    ),
                    "index": lambda: bundle_holds(output, before, word),
                },
                preview,
                folder,
            )
            for name, seconds in reached.items():
                later[name].append(seconds - saved)
            progress(
                f"  edit {number + 1}: page {shown[-1]:.2f} s, site {later['site'][-1]:.2f} s, "
                f"search {later['search'][-1]:.2f} s, whole index {later['index'][-1]:.2f} s"
            )
            wait_for(lambda: search_done(output), preview, folder)
            time.sleep(1)  # a writer reads before saving again
    finally:
        preview.terminate()
        preview.wait(timeout=60)
        log.close()
    return {
        "preview_after_edit_seconds": shown,
        "site_after_edit_seconds": later["site"],
        "search_after_edit_seconds": later["search"],
        "index_after_edit_seconds": later["index"],
        "preview_after_edit_cpu_seconds": cpu,
    }


class Served:
    """The running preview, over HTTP."""

    def __init__(self, port: int):
        self.base = f"http://localhost:{port}"

    def get(self, address: str) -> str:
        with urllib.request.urlopen(self.base + address, timeout=120) as reply:
            return reply.read().decode()

    def latest(self) -> str:
        return self.get(f"{LATEST_BUILD}?shown=")

    def newer_than(self, build: str) -> str:
        """Once the preview has a build newer than `build` (or pages drawn ahead): its name."""
        return self.get(f"{LATEST_BUILD}?shown={build}")

    def page(self, page: str) -> str:
        return self.get("/" + page.removesuffix("index.html"))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a running process, from /proc/<pid>/stat (fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def entry_page(edited: Path) -> str:
    """ARTICLE_SAVE_AS in pelicanconf.py ({date:%Y}/{date:%m}/{slug}/index.html) for this file."""
    header = dict(
        line.split(": ", 1) for line in edited.read_text().partition("\n\n")[0].splitlines()
    )
    year, month = header["Date"][:4], header["Date"][5:7]
    return f"{year}/{month}/{header['Slug']}/index.html"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


def wait_for(condition, preview: subprocess.Popen, folder: Path, limit: float = 600) -> None:
    ends = time.perf_counter() + limit
    while not condition():
        if preview.poll() is not None or time.perf_counter() > ends:
            raise SystemExit(
                "The preview stopped or never got there:\n"
                + (folder / "livereload.log").read_text()[-3000:]
            )
        time.sleep(POLL)


def wait_for_each(conditions: dict, preview: subprocess.Popen, folder: Path) -> dict[str, float]:
    """When each condition first held (time.perf_counter)."""
    reached = {}

    def all_reached() -> bool:
        for name, condition in conditions.items():
            if name not in reached and condition():
                reached[name] = time.perf_counter()
        return len(reached) == len(conditions)

    wait_for(all_reached, preview, folder)
    return reached


def page_text(page: Path) -> str:
    try:
        return page.read_text()
    except OSError:  # between the two steps of a swap
        return ""


def search_done(output: Path) -> bool:
    """The served bundle is whole and no indexing runs (its folder beside output/ is gone)."""
    return (output / "pagefind" / "pagefind-entry.json").is_file() and not output.with_name(
        f".{output.name}.search"
    ).exists()


def fragments(output: Path) -> set[str]:
    try:
        return set(os.listdir(output / "pagefind" / "fragment"))
    except OSError:
        return set()


def edits_hold(output: Path, word: str) -> bool:
    """The preview's bundle of the pages saved since the index was made holds the word."""
    edits = edits_folder(output)
    try:
        bundle = json.loads((edits / EDITS).read_text())["bundle"].rstrip("/").rpartition("/")[2]
        fragments = (edits / bundle / "fragment").iterdir()
        return any(word.encode() in gzip.decompress(path.read_bytes()) for path in fragments)
    except (OSError, KeyError, ValueError):  # none yet, or replaced while read
        return False


def bundle_holds(output: Path, before: set[str], word: str) -> bool:
    """A fragment the served bundle did not have before holds the word."""
    for name in fragments(output) - before:
        try:
            if word.encode() in gzip.decompress((output / "pagefind/fragment" / name).read_bytes()):
                return True
        except OSError:
            pass
    return False
