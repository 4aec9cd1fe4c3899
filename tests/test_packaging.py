"""Casebook as an installable Pelican plugin: pelican.plugins.casebook (pyproject.toml).

The code stays in plugins/casebook/; installed, it is a namespace plugin that
Pelican finds with PLUGINS = ["casebook"], as the pelican-plugins are.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

from conftest import ROOT, html
from pelican.plugins._utils import load_plugins
from pelican.settings import read_settings

PLUGIN = "pelican.plugins.casebook"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# What a pip install takes from this repository.
PACKAGED = ["pyproject.toml", "README.md", "plugins", "theme"]


def test_every_folder_of_the_plugin_is_packaged():
    folders = sorted(
        ".".join((PLUGIN, *path.parent.relative_to(ROOT / "plugins/casebook").parts))
        for path in (ROOT / "plugins/casebook").rglob("__init__.py")
    )
    packages = PROJECT["tool"]["setuptools"]["packages"]
    assert sorted(set(packages) - {f"{PLUGIN}.theme"}) == folders, (
        "pyproject.toml's [tool.setuptools] packages must list every folder of plugins/casebook/ "
        "that has an __init__.py."
    )


def test_the_plugin_is_loaded_under_one_name_only():
    """The tests and tasks.py import pelican.plugins.casebook; Pelican must load that same module,
    not a second copy under another name (its signals would be connected twice)."""
    import pelican.plugins.casebook as imported

    (loaded,) = load_plugins(read_settings(str(ROOT / "pelicanconf.py")))
    assert loaded is imported
    others = [name for name in sys.modules if name.split(".")[0] == "casebook"]
    assert others == [], f"the plugin is also imported as {others[0]}: import {PLUGIN} instead"
    assert Path(imported.__file__) == ROOT / "plugins/casebook/__init__.py"


def test_a_team_installs_casebook_and_builds_its_own_site_with_it(tmp_path):
    """A fresh venv, `pip install` of this repository, and a Pelican project elsewhere: its
    pelicanconf.py is ours with PLUGINS = ["casebook"] and the theme from the plugin."""
    source = tmp_path / "casebook"
    source.mkdir()
    for name in PACKAGED:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(ROOT / name, source / name)
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", str(source)], capture_output=True, text=True
    )
    assert install.returncode == 0, install.stderr

    site = tmp_path / "team-site"
    (site / "content" / "entries").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "people.toml", site / "content")
    entry = "content/entries/2025/2025-02-11-silence-on-the-line.md"
    shutil.copy(ROOT / entry, site / "content" / "entries")
    settings = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    settings = settings.replace('THEME = "theme"', "THEME = casebook.THEME")
    settings = settings.replace(f'PLUGINS = ["{PLUGIN}"]', 'PLUGINS = ["casebook"]')
    (site / "pelicanconf.py").write_text(
        f"from pelican.plugins import casebook\n{settings}", encoding="utf-8"
    )
    build = subprocess.run(
        [tmp_path / "venv" / "bin" / "pelican", "-s", "pelicanconf.py"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    page = html(site / "output" / "2025" / "02" / "silence-on-the-line" / "index.html")
    assert page.find("h1").get_text(strip=True) == "Silence on the line"
    assert (site / "output" / "lessons" / "index.html").is_file()  # Casebook's own pages
    assert (site / "output" / "pagefind" / "pagefind.js").is_file()  # and its search
    where = subprocess.run(
        [python, "-c", f"import {PLUGIN} as plugin; print(plugin.__file__)"],
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(tmp_path / "venv")), where.stdout  # not this repository
