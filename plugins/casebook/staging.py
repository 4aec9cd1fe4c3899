"""Build into a staging folder and swap it in only when the whole build succeeded.

A build that stops half-way (a content error, a template bug, a full disk)
leaves the previous output folder exactly as it was, and the new output never
holds files left over from entries that were renamed or removed.

The two folders take turns: the output a build replaces becomes the next
build's staging folder, so no build waits for a whole site to be deleted,
and with the content cache on the page cache leaves the pages there that
have not changed since (page_cache.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path


def staging_folder(output: Path) -> Path:
    # A sibling of the output folder, so that the final swap is a rename on one disk.
    return output.with_name(f".{output.name}.staging")


def build_into_staging(pelican) -> None:
    """Point this run's generators and writer at the staging folder.

    Connected to `get_generators`, the one signal Pelican sends at the start of
    every run (also in --autoreload mode) before it creates the generators.
    """
    staging = staging_folder(Path(pelican.settings["OUTPUT_PATH"]))
    if not pelican.settings["CACHE_CONTENT"]:  # else the page cache clears what it cannot reuse
        shutil.rmtree(staging, ignore_errors=True)
    pelican.output_path = str(staging)


def swap_in_staged_output(pelican) -> None:
    output = Path(pelican.settings["OUTPUT_PATH"])
    staging = staging_folder(output)
    previous = output.with_name(f".{output.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)  # only there if a swap was interrupted
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    if previous.exists():
        previous.rename(staging)
