"""Casebook's tasks: `invoke --list` shows them. Arguments after `--` go to Pelican."""

import logging
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from invoke import Exit, task
from invoke.main import program
from pelican import main as pelican_main
from pelican.settings import read_settings

sys.path.insert(0, str(Path(__file__).parent / "plugins"))
from casebook.problems import ContentChanged, display_path  # noqa: E402
from casebook.settings import CasebookSettings  # noqa: E402
from casebook.tools.authoring import new_comment, new_entry  # noqa: E402
from casebook.tools.check import Report, check_build, check_sources  # noqa: E402
from casebook.tools.publishing import (  # noqa: E402
    NOTHING_PUBLISHED, publish as publish_site, ready_target, rollback as rollback_site, rollback_target,
)

SETTINGS_FILE = "pelicanconf.py"
PUBLISH_SETTINGS_FILE = "publishconf.py"
SETTINGS = read_settings(SETTINGS_FILE)
HOST, PORT = "localhost", 8000


def pelican_run(arguments, settings_file=SETTINGS_FILE):
    """Run Pelican in this process, with any extra arguments given after `--`."""
    pelican_main(shlex.split(f"{arguments} -s {settings_file} {program.core.remainder}"))


def checked_build(settings_file: str, output: Path, publishing: bool = False) -> Report:
    """Check the sources, build into `output`, check its links: everything `check` reports."""
    settings = read_settings(settings_file)
    casebook = CasebookSettings.from_pelican(settings)
    report = check_sources(casebook, publishing)
    if not report.content_ok:
        return report  # the build would stop on the same problems
    warnings = WarningCollector()
    logging.getLogger("casebook").addHandler(warnings)  # the plugin's own, such as entries without lessons
    try:
        pelican_run(f"-o {shlex.quote(str(output))}", settings_file)
    except SystemExit as stop:
        if stop.code not in (None, 0):
            report.errors.append(stop.code if isinstance(stop.code, str) else "The build failed: see above.")
        return report
    finally:
        logging.getLogger("casebook").removeHandler(warnings)
    report.warnings += [message for message in warnings.messages if message not in report.warnings]
    report.errors += check_build(output, casebook, settings["SITEURL"])
    return report


class WarningCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@task
def build(c):
    """Build the journal into the output folder."""
    pelican_run("")


@task
def rebuild(c):
    """Build from scratch, ignoring Pelican's content cache."""
    shutil.rmtree(SETTINGS["CACHE_PATH"], ignore_errors=True)
    pelican_run("--ignore-cache")


@task
def clean(c):
    """Remove the output folder, the build folders and lock beside it (.output.*), and Pelican's cache."""
    output = Path(SETTINGS["OUTPUT_PATH"])
    for path in (output, *output.parent.glob(f".{output.name}.*"), Path(SETTINGS["CACHE_PATH"])):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@task(pre=[build])
def serve(c, port=PORT):
    """Build the journal and serve it at http://localhost:8000 (Ctrl+C stops)."""
    print(f"Serving the journal at http://{HOST}:{port}/ (press Ctrl+C to stop)")
    pelican_run(f"--listen --bind {HOST} --port {port}")


@task
def livereload(c, port=PORT):
    """Serve at http://localhost:8000 and rebuild on changes to content, theme and plugins."""
    from livereload import Server

    def rebuild_quietly():
        # A content mistake must not stop the server: show it and wait for a fix.
        for _ in range(3):
            try:
                pelican_run("")
                return
            except ContentChanged:
                continue  # a file was saved again during the build: build what is there now
            except SystemExit as stop:
                if stop.code not in (None, 0):
                    print(stop.code if isinstance(stop.code, str) else "The build failed; see above.")
                return
        print("Files kept changing during the build; the next save builds again.")

    rebuild_quietly()
    server = Server()
    for watched in ("content", "theme", "plugins", SETTINGS_FILE):
        server.watch(watched, rebuild_quietly)
    server.serve(host=HOST, port=port, root=SETTINGS["OUTPUT_PATH"])


@task(help={
    "title": "the entry's title, in quotes",
    "author": "your name, exactly as in content/people.toml",
    "tags": "comma-separated tags, for example refunds,deadlines",
    "channel": "phone, email, chat, in-person or other",
})
def new(c, title, author, tags="", channel=""):
    """Start a new entry: invoke new "Title" --author "Name" [--tags a,b] [--channel phone]."""
    path = new_entry(CasebookSettings.from_pelican(SETTINGS), title, author, tags, channel)
    print(f"Created {display_path(path)}")
    print("Write what happened, what you did and what you learned, then run: invoke serve")


@task(help={
    "entry": "the entry's address (slug), as in its web address: refund-by-friday",
    "author": "your name, exactly as in content/people.toml",
    "endorse": "endorse the entry (supervisors only, not on their own entries)",
    "reply_to": "the file name (without .md) of the comment you answer",
})
def comment(c, entry, author, endorse=False, reply_to=""):
    """Comment on an entry: invoke comment <entry-slug> --author "Name" [--endorse] [--reply-to SLUG]."""
    path = new_comment(CasebookSettings.from_pelican(SETTINGS), entry, author, endorse, reply_to)
    print(f"Created {display_path(path)}")
    print("Write your comment below the header, then run: invoke serve")


@task(help={"settings": "the settings to build with: pelicanconf.py (default) or publishconf.py"})
def check(c, settings=SETTINGS_FILE):
    """Check content rules, privacy and the links of a fresh build; exit non-zero on errors."""
    with tempfile.TemporaryDirectory() as folder:
        report = checked_build(settings, Path(folder) / "site")
    print(report)
    if report.errors:
        raise Exit(code=1)


@task(help={"target": "a folder, or user@host:/folder (default: CASEBOOK_PUBLISH_TARGET in publishconf.py)"})
def publish(c, target=""):
    """Build with publishconf.py, run every check, then deploy atomically with rsync."""
    settings = read_settings(PUBLISH_SETTINGS_FILE)
    casebook = CasebookSettings.from_pelican(settings)
    destination = ready_target(target or casebook.publish_target, settings["SITEURL"],
                               casebook.publish_ssh_options)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        report = checked_build(PUBLISH_SETTINGS_FILE, site, publishing=True)
        print(report)
        if report.errors:
            raise Exit(NOTHING_PUBLISHED, code=1)
        print(f"Publishing to {destination}: a new release under releases/, then `current` switches to it.")
        done = publish_site(site, destination, casebook.publish_keep, list(casebook.publish_rsync_options))
    since = (f"{done.files_changed} files changed since {done.previous}" if done.previous
             else f"the first release on {destination}, {done.files_changed} files")
    print(f"Published release {done.release} ({since}); {destination}/current serves it.")
    if done.removed:
        print(f"Removed old releases: {', '.join(done.removed)}.")


@task(help={"target": "a folder, or user@host:/folder (default: CASEBOOK_PUBLISH_TARGET in publishconf.py)"})
def rollback(c, target=""):
    """Switch the published site back to the release that was live before the current one."""
    casebook = CasebookSettings.from_pelican(read_settings(PUBLISH_SETTINGS_FILE))
    destination = rollback_target(target or casebook.publish_target, casebook.publish_ssh_options)
    left, now_live = rollback_site(destination)
    print(f"Rolled back from {left} to {now_live}, the release live before it; "
          f"{destination}/current serves it.")


@task(help={"entries": "how many entries to generate (default 5000)",
            "out": "where to write the figures as JSON (default: print only)",
            "repeat": "rounds of builds, taking turns; the median is reported (default 1)"})
def bench(c, entries=5000, out="", repeat=1):
    """Benchmark: build a generated journal with plain Pelican and with Casebook, and compare."""
    from benchmark.run import run

    run(int(entries), Path(out) if out else None, repeat=int(repeat))


@task(name="pygments-css")
def pygments_css(c, light="default", dark="github-dark"):
    """Regenerate the theme's code colours from two Pygments styles."""
    from pygments.formatters import HtmlFormatter

    def rules(style):
        return HtmlFormatter(style=style).get_style_defs(".highlight")

    dark_rules = "\n".join(f"  {line}" for line in rules(dark).splitlines())
    Path("theme/static/css/pygments.css").write_text(
        f'/* Code and log colours: Pygments styles "{light}" (light) and "{dark}" (dark).\n'
        "   Made by `invoke pygments-css`; edit the styles there, not this file. */\n"
        f"{rules(light)}\n@media (prefers-color-scheme: dark) {{\n{dark_rules}\n}}\n"
    )
