"""The Invoke tasks, run as a user runs them, in a copy of the project."""

from __future__ import annotations

import datetime
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager

import pytest
from conftest import BIN, html, run_invoke

TASKS = ("build", "rebuild", "serve", "livereload", "clean", "new")


def test_every_task_is_listed_with_a_description(project):
    listing = run_invoke(project, "--list").stdout
    for name in TASKS:
        line = next((line for line in listing.splitlines() if line.split()[:1] == [name]), "")
        assert len(line.split()) > 2, f"{name} has no description in:\n{listing}"


def test_new_writes_an_entry_that_then_builds(project):
    result = run_invoke(
        project,
        "new",
        "Caller wanted a refund by Friday",
        "--author",
        "Ana Sousa",
        "--tags",
        "refunds, deadlines",
        "--channel",
        "email",
    )
    assert result.returncode == 0, result.stderr
    today = datetime.date.today()
    path = (
        project
        / "content"
        / "entries"
        / f"{today:%Y}"
        / f"{today:%Y-%m-%d}-caller-wanted-a-refund-by-friday.md"
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Title: Caller wanted a refund by Friday\n")
    assert f"Date: {today:%Y-%m-%d} " in text
    assert "Author: Ana Sousa\nTags: refunds, deadlines\nChannel: email\n" in text
    for heading in ("## What happened", "## What I did", "## Lessons learned"):
        assert heading in text
    assert str(path.relative_to(project)) in result.stdout

    built = run_invoke(project, "build")
    assert built.returncode == 0, built.stderr
    page = (
        project
        / "output"
        / f"{today:%Y}"
        / f"{today:%m}"
        / "caller-wanted-a-refund-by-friday"
        / "index.html"
    )
    assert html(page).h1.get_text(strip=True) == "Caller wanted a refund by Friday"


def test_new_refuses_an_author_not_on_the_roster(project):
    before = sorted(project.rglob("*.md"))
    result = run_invoke(project, "new", "Some call", "--author", "Nobody Known")
    assert result.returncode == 1
    assert (
        'Author "Nobody Known" is not on the roster.' in result.stderr
        and "content/people.toml" in result.stderr
    )
    assert sorted(project.rglob("*.md")) == before


def test_new_refuses_an_unknown_channel(project):
    result = run_invoke(project, "new", "Some call", "--author", "Ana Sousa", "--channel", "fax")
    assert (
        result.returncode == 1
        and "Use one of: phone, email, chat, in-person, other" in result.stderr
    )


def test_new_never_overwrites_an_existing_file(project):
    assert run_invoke(project, "new", "Twice the same", "--author", "Ana Sousa").returncode == 0
    [path] = project.glob("content/entries/*/*-twice-the-same.md")
    path.write_text(path.read_text() + "\nMy own words.\n")
    again = run_invoke(project, "new", "Twice the same", "--author", "Priya Nair")
    assert again.returncode == 1 and "already" in again.stderr
    assert "My own words." in path.read_text() and "Author: Ana Sousa" in path.read_text()


def test_new_refuses_a_title_whose_address_is_taken(project):
    result = run_invoke(project, "new", "Refund by Friday!", "--author", "Ana Sousa")
    assert result.returncode == 1
    assert "2022-11-08-refund-by-friday.md already has the address" in result.stderr


@pytest.mark.parametrize(
    "title, tags, refusal",
    [
        ("\U0001f4b8\u23f0", "", "has no letters or digits to make a web address from"),
        ("Refund\u200b by Friday", "", "invisible character, U+200B (zero width space)"),
        ("Refund by Monday", "C++, C#", 'The tag "C#" and the tag "C++"'),
    ],
)
def test_new_refuses_what_the_build_would_refuse(project, title, tags, refusal):
    result = run_invoke(project, "new", title, "--author", "Ana Sousa", "--tags", tags)
    assert result.returncode == 1
    assert "The entry was not written" in result.stderr and refusal in result.stderr
    assert not list(project.glob("content/entries/*/*-refund-by-monday.md"))


def test_build_stops_on_a_content_mistake_with_a_clear_message(project):
    assert run_invoke(project, "build").returncode == 0
    entry = next(project.glob("content/entries/2024/*.md"))
    entry.write_text(entry.read_text().replace("Channel: ", "Channel: pigeon", 1))
    result = run_invoke(project, "build")
    assert result.returncode == 1
    assert str(entry.relative_to(project)) in result.stderr and "Traceback" not in result.stderr
    assert (project / "output" / "index.html").exists()


def test_clean_removes_the_output_and_rebuild_makes_it_again(project):
    assert run_invoke(project, "build").returncode == 0
    assert (
        run_invoke(project, "build").returncode == 0
    )  # the first output becomes the staging folder
    assert (project / ".output.staging").is_dir()
    assert run_invoke(project, "clean").returncode == 0
    assert not (project / "output").exists() and not list(project.glob(".output*"))
    assert run_invoke(project, "rebuild").returncode == 0
    assert (project / "output" / "index.html").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 60) -> str:
    """The page at url, waiting (bounded) for the server to come up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@contextmanager
def running(project, *arguments):
    server = subprocess.Popen(
        [BIN / "invoke", *arguments],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_builds_and_serves_the_journal(project):
    port = free_port()
    with running(project, "serve", "--port", str(port)):
        home = fetch(f"http://localhost:{port}/")
        assert "Latest entries" in home and "Refund by Friday" in home
        assert "Refund by Friday" in fetch(f"http://localhost:{port}/2022/11/refund-by-friday/")


def test_livereload_rebuilds_when_an_entry_changes(project):
    port = free_port()
    with running(project, "livereload", "--port", str(port)):
        assert "Silence on the line" in fetch(f"http://localhost:{port}/")
        entry = project / "content/entries/2025/2025-02-11-silence-on-the-line.md"
        entry.write_text(
            entry.read_text().replace("Title: Silence on the line", "Title: Quiet on the line")
        )
        deadline = time.monotonic() + 60
        while (
            "Quiet on the line" not in fetch(f"http://localhost:{port}/")
            and time.monotonic() < deadline
        ):
            time.sleep(0.5)
        assert "Quiet on the line" in fetch(f"http://localhost:{port}/")
