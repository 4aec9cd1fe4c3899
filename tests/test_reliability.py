"""Builds that must not break: faults an adversarial tester injected, each a real build.

Faults are injected as a real Pelican plugin beside ours (`fault`) that acts
at a given moment of the build, or by changing files between builds. Every
failing build must exit 1 with a message, no traceback, and leave the last
good output exactly as it was (Journal.fails_with).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import BIN, ROOT, html, run_pelican, site_files, snapshot
from pelican.plugins.casebook.indexes.search_bundle import cbor_strings
from pelican.plugins.casebook.seams import make_cache_safe

from benchmark.generate import generate

REFUND = "content/entries/2022/2022-11-08-refund-by-friday.md"
COMMENT = "content/comments/refund-by-friday/tom-okafor.md"


def with_fault(journal, code: str) -> list[str]:
    """Pelican arguments that add a plugin running `code` (which defines register()) to the
    build."""
    folder = journal.root / "faults"
    folder.mkdir(exist_ok=True)
    (folder / "fault.py").write_text(textwrap.dedent(code), encoding="utf-8")
    return [
        "-e",
        'PLUGINS=["pelican.plugins.casebook", "fault"]',
        f'PLUGIN_PATHS=["{folder}"]',
    ]


def fresh(journal, tmp_path) -> dict[str, bytes]:
    """The site a build from scratch makes of the journal's content now."""
    result = run_pelican(journal.root / "content", tmp_path / "fresh", tmp_path, "--ignore-cache")
    assert result.returncode == 0, result.stderr
    return site_files(tmp_path / "fresh")


# Pelican's content cache (point 3)


# Random bytes, the same on every run: some random bytes make pickle fail with UnicodeDecodeError,
# which Pelican itself takes for a missing cache (discarded, logged only under --debug).
NOISE = random.Random(14).randbytes(500)


@pytest.mark.parametrize("damage", [b"", b"\x80\x04\x95 not a whole pickle", NOISE])
def test_a_cache_that_cannot_be_read_is_discarded_and_the_build_goes_on(journal, tmp_path, damage):
    caches = [path for path in (journal.root / "cache").iterdir() if path.name.endswith("-Readers")]
    assert caches
    for cache in caches:
        cache.write_bytes(damage)
    journal.edit(REFUND, "returned a coat", "returned a red coat")
    result = journal.build()
    assert result.returncode == 0, result.stderr
    assert (
        "WARNING" in result.stdout
        and "could not be read" in result.stdout
        or "Cannot unpickle" in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert site_files(journal.output) == fresh(journal, tmp_path)
    assert journal.build().returncode == 0  # and the cache it saved is whole again


def test_a_cache_that_cannot_be_saved_keeps_the_last_one_whole(tmp_path, caplog):
    from pelican.cache import FileDataCacher

    make_cache_safe()
    settings = {"CACHE_PATH": str(tmp_path), "GZIP_CACHE": False}
    cacher = FileDataCacher(settings, "Cache", True, False)
    cacher.cache_data("entry.md", "what was read")
    cacher.save_cache()
    nested = []
    for _ in range(100_000):  # pickling this raises RecursionError half-way through the file
        nested = [nested]
    cacher.cache_data("deep.md", nested)
    cacher.save_cache()
    assert "could not be saved" in caplog.text
    assert (
        FileDataCacher(settings, "Cache", True, True).get_cached_data("entry.md") == "what was read"
    )
    assert [path.name for path in tmp_path.iterdir()] == ["Cache"]  # no partial file left behind


# Entries Pelican could not read (point 4)


def test_an_entry_pelican_cannot_read_fails_the_build(journal):
    fault = with_fault(
        journal,
        """
        from pelican import signals

        def fail(content):
            if content.source_path.endswith("refund-by-friday.md"):
                raise ValueError("the reader broke")

        def register():
            signals.content_object_init.connect(fail)
    """,
    )
    journal.edit(REFUND, "returned a coat", "returned a red coat")  # not from the cache
    result = run_pelican(journal.root / "content", journal.output, journal.root, *fault)
    assert result.returncode == 1, result.stderr
    assert f"{REFUND}: Pelican could not read this file" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(journal.output) == journal.good_output


def test_the_readers_own_failure_is_named(journal):
    fault = with_fault(
        journal,
        """
        from pelican import signals

        def break_reader(readers):
            original = readers.reader_classes["md"]

            class Failing(original):
                def convert(self, source_path):
                    if source_path.endswith("refund-by-friday.md"):
                        raise RecursionError("maximum recursion depth exceeded")
                    return super().convert(source_path)

            readers.reader_classes["md"] = Failing

        def register():
            signals.readers_init.connect(break_reader)
    """,
    )
    result = run_pelican(
        journal.root / "content", journal.output, journal.root, "--ignore-cache", *fault
    )
    assert result.returncode == 1, result.stderr
    assert (
        f"{REFUND}: Pelican could not read this file (RecursionError: maximum recursion depth "
        "exceeded)" in result.stderr
    )
    assert snapshot(journal.output) == journal.good_output


# Changed is decided by content, not by time (point 9)


def test_an_edit_that_keeps_the_modification_time_is_built(journal, tmp_path):
    path = journal.root / REFUND
    times = path.stat()
    journal.edit(
        REFUND, "Title: Refund by Friday", "Title: Refund by Thursday\nSlug: refund-by-friday"
    )
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert journal.build().returncode == 0
    assert site_files(journal.output) == fresh(journal, tmp_path)
    assert (
        html(journal.output / "2022/11/refund-by-friday/index.html").h1.get_text(strip=True)
        == "Refund by Thursday"
    )


# Files saved during the build (point 10)


def test_an_entry_saved_during_the_build_fails_it_unchecked(journal):
    fault = with_fault(
        journal,
        f"""
        from pathlib import Path
        from pelican import signals

        def save_again(generator):  # after the content check, before Pelican reads the entries
            path = Path({str(journal.root / REFUND)!r})
            text = path.read_text().replace("Author: Ana Sousa", "Author: Not On The Roster")
            path.write_text(text)

        def register():
            signals.article_generator_preread.connect(save_again)
    """,
    )
    result = run_pelican(journal.root / "content", journal.output, journal.root, *fault)
    assert result.returncode == 1, result.stderr
    assert f"{REFUND}: This file changed while the journal was being built" in result.stderr
    assert "Build again" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(journal.output) == journal.good_output
    journal.fails_with(
        f'{REFUND}:3: Author "Not On The Roster" is not on the roster'
    )  # the next build checks it


def test_a_comment_saved_during_the_build_fails_it_unchecked(journal):
    fault = with_fault(
        journal,
        f"""
        from pathlib import Path
        from pelican import signals

        # after the check, before the comment is drawn on its entry's page
        def save_again(generator):
            path = Path({str(journal.root / COMMENT)!r})
            path.write_text(path.read_text() + "A line added after the check.\\n")

        def register():
            signals.article_generator_finalized.connect(save_again)
    """,
    )
    result = run_pelican(
        journal.root / "content", journal.output, journal.root, "--ignore-cache", *fault
    )
    assert result.returncode == 1, result.stderr
    assert f"{COMMENT}: This file changed while the journal was being built" in result.stderr
    assert snapshot(journal.output) == journal.good_output


def test_a_cached_copy_that_is_not_the_checked_file_is_dropped(journal, tmp_path):
    """A save between Pelican reading a file and caching it: the old copy is cached under the new
    stamp."""
    path = journal.root / REFUND
    journal.edit(REFUND, "returned a coat", "returned a red coat")
    fault = with_fault(
        journal,
        f"""
        from pathlib import Path
        from pelican import signals

        def save_after_reading(readers):
            class Reader(readers.reader_classes["md"]):
                def read(self, source_path):
                    # and Pelican caches it next, with the file's stamp
                    read = super().read(source_path)
                    if source_path == {str(path)!r}:
                        text = Path(source_path).read_text().replace("red", "blue")
                        Path(source_path).write_text(text)
                    return read

            readers.reader_classes["md"] = Reader

        def register():
            signals.readers_init.connect(save_after_reading)
    """,
    )
    assert (
        run_pelican(journal.root / "content", journal.output, journal.root, *fault).returncode == 0
    )
    assert (
        "a red coat" in (journal.output / "2022/11/refund-by-friday/index.html").read_text()
    )  # as checked
    stale = journal.build()  # the cache's copy is not the file that was checked
    assert stale.returncode == 1, stale.stdout
    assert f"{REFUND}: This file changed while the journal was being built" in stale.stderr
    assert journal.build().returncode == 0
    assert site_files(journal.output) == fresh(journal, tmp_path)
    assert "a blue coat" in (journal.output / "2022/11/refund-by-friday/index.html").read_text()


# Two builds at once (point 6)


def referenced_search_files(site: Path) -> list[Path]:
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    metas = [
        bundle / f"pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()
    ]
    names = set().union(*(cbor_strings(gzip.decompress(meta.read_bytes())) for meta in metas))
    files = {
        path.name.split(".")[0]: path
        for folder in ("fragment", "index", "filter")
        for path in (bundle / folder).iterdir()
    }
    hashes = {
        name
        for name in names
        if name.startswith(tuple(f"{language}_" for language in entry["languages"]))
    }
    return metas + [files.get(name, bundle / "missing" / name) for name in hashes]


def pelican_command(content, output, cache) -> list:
    """The `pelican` command a build runs, for the tests that start it themselves."""
    return [
        BIN / "pelican",
        str(content),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-o",
        str(output),
        "--cache-path",
        str(cache),
    ]


def test_two_builds_at_once_take_turns(journal, tmp_path):
    journal.edit(REFUND, "returned a coat", "returned a red coat")
    command = pelican_command(journal.root / "content", journal.output, journal.root / "cache")
    builds = [
        subprocess.Popen(
            command, cwd=journal.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [(build.wait(timeout=120), build.stderr.read()) for build in builds]
    assert [code for code, _ in results] == [0, 0], results
    assert site_files(journal.output) == fresh(journal, tmp_path)
    assert all(path.is_file() for path in referenced_search_files(journal.output))


def test_a_build_waits_while_another_holds_the_output(journal):
    import fcntl

    with open(journal.root / ".output.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build = subprocess.Popen(
            pelican_command(journal.root / "content", journal.output, journal.root / "cache"),
            cwd=journal.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            build.wait(timeout=5)
    assert build.wait(timeout=120) == 0
    assert "Another build of output/ is running" in build.stdout.read()


# Killed builds leave no process behind (point 7)


def descendants(pid: int) -> set[int]:
    found, queue = set(), [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            children = (
                {int(child) for child in (task / "children").read_text().split()}
                if task.exists()
                else set()
            )
            queue += children - found
            found |= children
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="children end with their parent on Linux"
)
@pytest.mark.parametrize("when", ["converting", "indexing"])
def test_a_killed_build_leaves_no_worker_running(tmp_path, when):
    content = generate(tmp_path / "journal", 400)
    build = subprocess.Popen(
        pelican_command(content, tmp_path / "output", tmp_path / "cache"),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wanted = "pagefind" if when == "indexing" else "pelican"
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and build.poll() is None:
        seen |= descendants(build.pid)
        if any(
            wanted in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            for pid in seen
            if running(pid)
        ):
            break
        time.sleep(0.01)
    assert build.poll() is None and seen, f"no {when} child seen"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(running(pid) for pid in seen):
        time.sleep(0.1)
    left = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in seen if running(pid)]
    for pid in seen:
        if running(pid):
            os.kill(pid, signal.SIGKILL)
    assert not left


# Never a moment without output/ (point 8)


def test_the_swap_never_leaves_a_moment_without_output(tmp_path):
    from pelican.plugins.casebook.staging import staging_folder, swap_in_staged_output

    output = tmp_path / "output"
    for folder in (output, staging_folder(output)):
        folder.mkdir()
        (folder / "index.html").write_text(folder.name)
    watcher = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import os, sys
        page, misses = {str(output / "index.html")!r}, 0
        while not os.path.exists({str(tmp_path / "stop")!r}):
            misses += not os.path.exists(page)
        print(misses)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)
    pelican = type("Pelican", (), {"settings": {"OUTPUT_PATH": str(output)}})
    for _ in range(3000):
        swap_in_staged_output(pelican)
    (tmp_path / "stop").touch()
    assert watcher.communicate(timeout=30)[0].strip() == "0"
    assert {
        (output / "index.html").read_text(),
        (staging_folder(output) / "index.html").read_text(),
    } == {"output", ".output.staging"}


def test_a_swap_stopped_half_way_is_finished_by_the_next_build(journal):
    """Where the two folders cannot be exchanged in one step, a stop between the two renames loses
    nothing."""
    previous = journal.root / ".output.previous"
    journal.output.rename(previous)
    journal.edit(REFUND, "Author: Ana Sousa", "Author: Nobody")
    journal.fails_with("is not on the roster")  # output/ is back, as it was
    assert not previous.exists()


# Folders that cannot be written, and page fingerprints that are not ours (point 5)


def immutable(path: Path):
    if (
        shutil.which("chattr") is None
        or subprocess.run(["chattr", "+i", str(path)]).returncode != 0
    ):
        pytest.skip("this file system cannot make a folder immutable (chattr +i)")
    return path


@pytest.mark.parametrize("folder", ["the project", ".output.staging"])
def test_a_folder_that_cannot_be_written_is_named(journal, folder):
    (journal.root / ".output.staging").mkdir(exist_ok=True)
    locked = immutable(journal.root if folder == "the project" else journal.root / folder)
    try:
        journal.edit(REFUND, "returned a coat", "returned a red coat")
        message = journal.fails_with(
            "Casebook cannot write", "Operation not permitted", "then build again"
        )
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=True)
    assert "output/ still holds the last good build" in message


@pytest.mark.parametrize(
    "manifest",
    [
        "[]",
        '{"site": 1}',
        '{"site": null, "pages": []}',
        "{not json",
        '{"site": "SITE", "pages": {"x": 5}}',
        '{"site": "SITE", "pages": {"../victim.txt": ["article.html", "k"]}}',
    ],
)
def test_page_fingerprints_that_are_not_ours_are_ignored(journal, tmp_path, manifest):
    site = json.loads((journal.output / ".casebook-pages.json").read_text())["site"]
    victim = journal.root / "victim.txt"
    victim.write_text("keep me")
    for folder in (journal.output, journal.root / ".output.staging"):
        folder.mkdir(exist_ok=True)
        (folder / ".casebook-pages.json").write_text(manifest.replace("SITE", site))
    result = journal.build()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert victim.read_text() == "keep me"
    assert site_files(journal.output) == fresh(journal, tmp_path)
