"""Shared helpers: build real sites with Pelican into temporary folders."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")


def build(content: Path, output: Path, settings_file: str = "pelicanconf.py", **overrides) -> Path:
    """Build `content` into `output` in this process, as `pelican` would."""
    settings = read_settings(
        str(ROOT / settings_file),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(output) + "-cache",
            **overrides,
        },
    )
    Pelican(settings).run()
    return output


def run_pelican(content: Path, output: Path, cwd: Path, *extra: str) -> subprocess.CompletedProcess:
    """The real `pelican` command, for its exit code and what it prints."""
    return subprocess.run(
        [
            BIN / "pelican",
            str(content),
            "-s",
            str(ROOT / "pelicanconf.py"),
            "-o",
            str(output),
            "--cache-path",
            str(cwd / "cache"),
            *extra,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder and its bytes, to prove a folder was left untouched."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site but Pagefind's (their names change from run to run) and the page
    fingerprints."""
    return {
        name: data
        for name, data in snapshot(folder).items()
        if not name.startswith("pagefind/") and name != ".casebook-pages.json"
    }


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The sample journal, built once for all tests that only read it."""
    return build(ROOT / "content", tmp_path_factory.mktemp("site") / "output")


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project (without output or venv) that a test may change freely."""
    for name in ("content", "theme", "plugins"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def run_invoke(project: Path, *arguments: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN / "invoke", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


class Journal:
    """A copy of the sample journal with a good build in output/."""

    def __init__(self, root: Path):
        self.root = root
        result = self.build()
        assert result.returncode == 0, result.stderr
        self.good_output = snapshot(self.output)

    @property
    def output(self) -> Path:
        return self.root / "output"

    def build(self):
        return run_pelican(self.root / "content", self.output, self.root)

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def write(self, relative: str, content: str | bytes) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())

    def fails_with(self, *expected: str) -> str:
        """Build, and check it failed, said each expected thing, and kept the old output."""
        result = self.build()
        assert result.returncode == 1, result.stdout + result.stderr
        for text in expected:
            assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
        assert "Traceback" not in result.stderr
        assert snapshot(self.output) == self.good_output, "the last good build was changed"
        assert not (self.root / ".output.previous").exists(), "the swap was left half-done"
        return result.stderr


@pytest.fixture
def journal(project) -> Journal:
    return Journal(project)


# A browser, and a plain web server for built sites (the search page and the theme in Debian's
# Chromium)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must install it, see .ci/run")
        pytest.skip(f"{reason}; the tests in a browser are skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield chromium
        chromium.close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """serve(folder) -> base URL of a local HTTP server for that folder."""
    servers = []

    def start(folder: Path, port: int = 0) -> str:
        server = ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(QuietHandler, directory=str(folder))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


@functools.cache
def serve_once(serve, site) -> str:
    return serve(site)
