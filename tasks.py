"""Casebook's tasks: `invoke --list` shows them. Arguments after `--` go to Pelican."""

import json
import logging
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from invoke import Exit, task
from invoke.main import program
from pelican import main as pelican_main
from pelican.plugins.casebook.problems import ContentChanged, display_path
from pelican.plugins.casebook.seams import forget_logged_messages
from pelican.plugins.casebook.settings import CasebookSettings
from pelican.plugins.casebook.settings import settings_table as casebook_settings_table
from pelican.plugins.casebook.tools.authoring import new_comment, new_entry
from pelican.plugins.casebook.tools.check import Report, check_build, check_sources
from pelican.plugins.casebook.tools.desk import Desk
from pelican.plugins.casebook.tools.importing.importer import import_journal
from pelican.plugins.casebook.tools.preview import serve as serve_preview
from pelican.plugins.casebook.tools.publishing import (
    NOTHING_PUBLISHED,
    ready_target,
    rollback_target,
)
from pelican.plugins.casebook.tools.publishing import (
    publish as publish_site,
)
from pelican.plugins.casebook.tools.publishing import (
    rollback as rollback_site,
)
from pelican.settings import read_settings

SETTINGS_FILE = "pelicanconf.py"
BIN = Path(sys.executable).parent
PUBLISH_SETTINGS_FILE = "publishconf.py"
SETTINGS = read_settings(SETTINGS_FILE)
HOST, PORT = "localhost", 8000
SETTINGS_TABLE = (
    "<!-- settings table: made from plugins/casebook/settings.py by `invoke settings-table` -->",
    "<!-- end of the settings table -->",
)
WATCHED = (
    "content",
    "theme",
    "plugins",
    SETTINGS_FILE,
)  # what `invoke livereload` builds again after


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
    warnings = MessageCollector(logging.WARNING)
    logging.getLogger("pelican.plugins.casebook").addHandler(
        warnings
    )  # the plugin's own, such as entries without lessons
    try:
        pelican_run(f"-o {shlex.quote(str(output))}", settings_file)
    except SystemExit as stop:
        if stop.code not in (None, 0):
            report.errors.append(
                stop.code if isinstance(stop.code, str) else "The build failed: see above."
            )
        return report
    finally:
        logging.getLogger("pelican.plugins.casebook").removeHandler(warnings)
    known = (
        report.warnings + report.errors
    )  # a privacy finding: a warning in the build, an error here
    report.warnings += [message for message in warnings.messages if message not in known]
    report.errors += check_build(output, casebook, settings["SITEURL"])
    return report


class MessageCollector(logging.Handler):
    def __init__(self, level: int):
        super().__init__(level)
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
    """Remove the output folder, the build folders and lock beside it (.output.*), and Pelican's
    cache."""
    output = Path(SETTINGS["OUTPUT_PATH"])
    for path in (output, *output.parent.glob(f".{output.name}.*"), Path(SETTINGS["CACHE_PATH"])):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@task
def serve(c, port=PORT):
    """Build the journal and serve it at http://localhost:8000 (Ctrl+C stops)."""
    pelican_run(preview_settings(port))
    print(f"Serving the journal at http://{HOST}:{port}/ (press Ctrl+C to stop)")
    print(f"Write, comment and endorse from the browser: http://{HOST}:{port}/write/")
    desk = Desk(SETTINGS, int(port), lambda: preview_build(port))
    serve_preview(Path(SETTINGS["OUTPUT_PATH"]), HOST, int(port), desk=desk)


def preview_settings(port) -> str:
    """Pelican's arguments for a build served by the preview: feeds and lessons.json use the port
    served."""
    return f"-e {shlex.quote('FEED_DOMAIN=' + json.dumps(f'http://{HOST}:{port}'))}"


def preview_build(port) -> str:
    """Build what is there now for the preview at `port`: "", or why the build failed (printed here
    too)."""
    forget_logged_messages()  # each build shows all its warnings, as a build of its own does
    errors = MessageCollector(logging.ERROR)
    logging.getLogger("pelican").addHandler(
        errors
    )  # not the root: Pelican sets that up if it has no handler
    try:
        for _ in range(3):
            try:
                # Pages first: the search index follows in the background (indexes/search.py).
                pelican_run(f"{preview_settings(port)} -e CASEBOOK_SEARCH_LATER=true")
                return ""
            except ContentChanged:
                continue  # a file was saved again during the build: build what is there now
            except (
                SystemExit
            ) as stop:  # a mistake must not stop the preview: show it, wait for a fix
                if stop.code in (None, 0):
                    return ""
                if isinstance(stop.code, str):
                    print(stop.code)
                    return stop.code
                return "\n".join(errors.messages) or "The build failed: see the terminal."
        message = "Files kept changing during the build; the next save builds again."
        print(message)
        return message
    finally:
        logging.getLogger("pelican").removeHandler(errors)


@task
def livereload(c, port=PORT):
    """Serve at http://localhost:8000 and rebuild on changes to content, theme and plugins."""
    print(
        f"Serving the journal at http://{HOST}:{port}/ and building again on every change "
        "(press Ctrl+C to stop)"
    )
    rebuild = lambda: preview_build(port)  # noqa: E731
    serve_preview(
        Path(SETTINGS["OUTPUT_PATH"]),
        HOST,
        int(port),
        rebuild,
        WATCHED,
        desk=Desk(SETTINGS, int(port), rebuild),
    )


@task(
    help={
        "title": "the entry's title, in quotes",
        "author": "your name, exactly as in content/people.toml",
        "tags": "comma-separated tags, for example refunds,deadlines",
        "channel": "phone, email, chat, in-person or other",
    }
)
def new(c, title, author="", tags="", channel=""):
    """Start a new entry: invoke new "Title" --author "Name" [--tags a,b] [--channel phone]."""
    path = new_entry(CasebookSettings.from_pelican(SETTINGS), title, author, tags, channel)
    print(f"Created {display_path(path)}")
    print("Write what happened, what you did and what you learned, then run: invoke serve")


@task(
    help={
        "entry": "the entry's address (slug), as in its web address: refund-by-friday",
        "author": "your name, exactly as in content/people.toml",
        "endorse": "endorse the entry (supervisors only, not on their own entries)",
        "reply_to": "the file name (without .md) of the comment you answer",
    }
)
def comment(c, entry, author="", endorse=False, reply_to=""):
    """Comment on an entry: invoke comment <entry-slug> --author "Name" [--endorse] [--reply-to
    SLUG]."""
    path = new_comment(CasebookSettings.from_pelican(SETTINGS), entry, author, endorse, reply_to)
    print(f"Created {display_path(path)}")
    print("Write your comment below the header, then run: invoke serve")


@task(
    name="import",
    iterable=["author"],
    help={
        "export_file": "the export: Blogger's .xml (or Takeout's feed.atom), or WordPress's .xml",
        "author": '"Name in the export=Name on the roster"; repeat it for each name to map',
        "dry_run": "say what would be imported, and write nothing",
    },
)
def import_export(c, export_file, author=None, dry_run=False):
    """Import a Blogger or WordPress journal with its comments: invoke import EXPORT_FILE [--author
    "A=B"]."""
    print(
        import_journal(
            CasebookSettings.from_pelican(SETTINGS), Path(export_file), author or [], dry_run
        )
    )


@task(help={"settings": "the settings to build with: pelicanconf.py (default) or publishconf.py"})
def check(c, settings=SETTINGS_FILE):
    """Check content rules, privacy and the links of a fresh build; exit non-zero on errors."""
    with tempfile.TemporaryDirectory() as folder:
        report = checked_build(settings, Path(folder) / "site")
    print(report)
    if report.errors:
        raise Exit(code=1)


@task(help={"target": "a folder, or user@host:/folder (default: CASEBOOK_PUBLISH_TARGET)"})
def publish(c, target=""):
    """Build with publishconf.py, run every check, then deploy atomically with rsync."""
    settings = read_settings(PUBLISH_SETTINGS_FILE)
    casebook = CasebookSettings.from_pelican(settings)
    destination = ready_target(
        target or casebook.publish_target, settings["SITEURL"], casebook.publish_ssh_options
    )
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        report = checked_build(PUBLISH_SETTINGS_FILE, site, publishing=True)
        print(report)
        if report.errors:
            raise Exit(NOTHING_PUBLISHED, code=1)
        print(
            f"Publishing to {destination}: a new release under releases/, then `current` switches "
            "to it."
        )
        done = publish_site(
            site, destination, casebook.publish_keep, list(casebook.publish_rsync_options)
        )
    since = (
        f"{done.files_changed} files changed since {done.previous}"
        if done.previous
        else f"the first release on {destination}, {done.files_changed} files"
    )
    print(f"Published release {done.release} ({since}); {destination}/current serves it.")
    if done.removed:
        print(f"Removed old releases: {', '.join(done.removed)}.")


@task(help={"target": "a folder, or user@host:/folder (default: CASEBOOK_PUBLISH_TARGET)"})
def rollback(c, target=""):
    """Switch the published site back to the release that was live before the current one."""
    casebook = CasebookSettings.from_pelican(read_settings(PUBLISH_SETTINGS_FILE))
    destination = rollback_target(target or casebook.publish_target, casebook.publish_ssh_options)
    left, now_live = rollback_site(destination)
    print(
        f"Rolled back from {left} to {now_live}, the release live before it; "
        f"{destination}/current serves it."
    )


@task(
    help={
        "entries": "how many entries to generate (default 5000)",
        "out": "where to write the figures as JSON (default: print only)",
        "repeat": "rounds of builds, taking turns; the median is reported (default 1)",
    }
)
def bench(c, entries=5000, out="", repeat=1):
    """Benchmark: build a generated journal with plain Pelican and with Casebook, and compare."""
    from benchmark.run import run

    run(int(entries), Path(out) if out else None, repeat=int(repeat))


@task(name="privacy-eval", help={"mistakes": "also list each line of the set the scan got wrong"})
def privacy_eval(c, mistakes=False):
    """Measure the privacy scan on its evaluation set (tests/privacy_eval): precision and recall
    per kind."""
    from tests.privacy_eval.evaluate import main

    main(show_mistakes=mistakes)


# Mutation testing (docs/mutation.md): each module against its own fast test file.
MUTATION_TARGETS = {
    "privacy": ("plugins/casebook/content/privacy/", "tests/test_component_privacy.py"),
    "headers": ("plugins/casebook/content/headers.py", "tests/test_component_headers.py"),
    "entries": ("plugins/casebook/content/entries.py", "tests/test_component_entries.py"),
    "comments": ("plugins/casebook/content/comments.py", "tests/test_component_comments.py"),
    "publishing": (
        "plugins/casebook/tools/publishing.py,plugins/casebook/tools/targets.py",
        "tests/test_component_publishing.py",
    ),
}


@task(
    help={
        "module": f"one of {', '.join(MUTATION_TARGETS)} (default: all, one after another)",
        "fresh": "forget the last run's results (after a stopped run, or a change to the module)",
    }
)
def mutation(c, module="", fresh=False):
    """Mutation scores (mutmut): each module mutated in a copy of the project (.mutation/<module>/).
    Its .mutmut-cache stays there: the next run tries again only what was not killed."""
    import sqlite3

    names = [module] if module else list(MUTATION_TARGETS)
    for name in names:
        if name not in MUTATION_TARGETS:
            raise Exit(f"No module {name!r}: choose one of {', '.join(MUTATION_TARGETS)}.")
        paths, test_file = MUTATION_TARGETS[name]
        copy = Path(".mutation") / name
        if fresh:  # mutmut 2.5.1 can fail on the cache of a run that was stopped
            (copy / ".mutmut-cache").unlink(missing_ok=True)
        files = c.run("git ls-files -co --exclude-standard", hide=True).stdout.split()
        for file in files:
            if Path(file).is_file() and not file.startswith(".mutation/"):
                (copy / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, copy / file)
        # pytest runs in the process mutmut starts, so that a mutant that loops for ever is
        # stopped with it.
        runner = shlex.join([sys.executable, "tests/run_mutant.py", test_file])
        with c.cd(str(copy)):
            c.run(
                f"nice {BIN / 'mutmut'} run --paths-to-mutate {paths} "
                f"--runner {shlex.quote(runner)}",
                warn=True,
            )
            c.run(f"{BIN / 'mutmut'} results", warn=True)
        with sqlite3.connect(copy / ".mutmut-cache") as cache:
            statuses = dict(cache.execute("SELECT status, count(*) FROM mutant GROUP BY status"))
        total = sum(statuses.values())
        # A mutant that makes the tests hang (timeout) is caught too: a publish would never end.
        killed = sum(statuses.get(s, 0) for s in ("ok_killed", "ok_suspicious", "bad_timeout"))
        print(f"{name}: {killed}/{total} killed ({100 * killed / max(total, 1):.1f}%), {statuses}")


@task(name="settings-table")
def settings_table(c):
    """Write the README's table of settings from the settings' declarations
    (plugins/casebook/settings.py)."""
    readme = Path("README.md")
    text = readme.read_text(encoding="utf-8")
    start, end = (
        text.index(SETTINGS_TABLE[0]) + len(SETTINGS_TABLE[0]),
        text.index(SETTINGS_TABLE[1]),
    )
    readme.write_text(
        f"{text[:start]}\n{casebook_settings_table()}\n{text[end:]}", encoding="utf-8"
    )


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
