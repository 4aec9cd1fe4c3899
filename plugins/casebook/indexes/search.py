"""The search index: Pagefind, run once over the whole built site.

Pagefind's binary ships inside the pagefind_bin wheel, so nothing is
downloaded at build time. It indexes only what the theme marks with
data-pagefind-body (entry pages, with their comments and lessons).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pagefind_bin import get_executable

from ..problems import UserError
from ..settings import CasebookSettings


class SearchIndexError(UserError):
    """Pagefind failed: the build stops and the previous site is kept."""


def index_site(pelican) -> None:
    """Connected to `finalized`, before the staged output is swapped in."""
    site = Path(pelican.output_path)
    arguments = CasebookSettings.from_pelican(pelican.settings).pagefind_arguments
    command = [str(get_executable()), "--site", str(site), "--output-subdir", "pagefind", "--quiet", *arguments]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not (site / "pagefind" / "pagefind.js").is_file():
        raise SearchIndexError(
            "The search index could not be built, so nothing was published; the last good build is kept.\n"
            f"Pagefind said:\n{(result.stderr or result.stdout).strip()}"
        )
