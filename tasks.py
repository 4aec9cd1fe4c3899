"""Casebook's tasks: `invoke --list` shows them. Arguments after `--` go to Pelican."""

import shlex
import shutil
import sys
from pathlib import Path

from invoke import task
from invoke.main import program
from pelican import main as pelican_main
from pelican.settings import read_settings

sys.path.insert(0, str(Path(__file__).parent / "plugins"))
from casebook.authoring import new_comment, new_entry  # noqa: E402
from casebook.problems import display_path  # noqa: E402
from casebook.settings import CasebookSettings  # noqa: E402

SETTINGS_FILE = "pelicanconf.py"
SETTINGS = read_settings(SETTINGS_FILE)
HOST, PORT = "localhost", 8000


def pelican_run(arguments):
    """Run Pelican in this process, with any extra arguments given after `--`."""
    pelican_main(shlex.split(f"{arguments} -s {SETTINGS_FILE} {program.core.remainder}"))


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
    """Remove the output folder and Pelican's cache."""
    for folder in (SETTINGS["OUTPUT_PATH"], SETTINGS["CACHE_PATH"]):
        shutil.rmtree(folder, ignore_errors=True)


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
        try:
            pelican_run("")
        except SystemExit as stop:
            if stop.code not in (None, 0):
                print(stop.code if isinstance(stop.code, str) else "The build failed; see above.")

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
