"""Clearing the staging folder for a build: what may be reused stays, the rest goes.

Large folders that keep nothing are moved aside in one rename and deleted by a
thread while the pages are drawn, so clearing costs a build next to nothing.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
import threading
from pathlib import Path


def clear_all_but(folder: Path, keep: dict[str, object]) -> threading.Thread:
    """Remove every file under `folder` whose relative path is not in `keep`.

    A folder holding none of them (the search bundle, the feeds, ...) is moved
    aside in one rename and deleted by the thread returned, while pages are drawn.
    """
    needed = {""}
    for name in keep:
        while (name := posixpath.dirname(name)) not in needed:
            needed.add(name)
    trash = Path(tempfile.mkdtemp(prefix=f"{folder.name}.trash-", dir=folder.parent))
    leftovers = [
        old for old in folder.parent.glob(f"{folder.name}.trash-*") if old != trash
    ]  # a killed build's

    def clear(relative: str) -> None:
        for entry in os.scandir(folder / relative):
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir(follow_symlinks=False):
                if name in needed:
                    clear(name)
                else:
                    os.rename(entry.path, trash / str(len(os.listdir(trash))))
            elif name not in keep:
                os.unlink(entry.path)

    if folder.is_dir():
        clear("")
    remover = threading.Thread(
        target=lambda: [shutil.rmtree(old, ignore_errors=True) for old in [trash, *leftovers]]
    )
    remover.start()
    return remover


def remove_empty_folders(root: Path, folders: set[Path]) -> None:
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder.parts and (root / folder).is_dir() and not any((root / folder).iterdir()):
            (root / folder).rmdir()
            folder = folder.parent
