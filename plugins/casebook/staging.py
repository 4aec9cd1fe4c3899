"""Build into a staging folder and swap it in only when the whole build succeeded.

A build that stops half-way (a content error, a template bug, a full disk)
leaves the previous output folder exactly as it was, and the new output never
holds files left over from entries that were renamed or removed.

The two folders take turns: the output a build replaces becomes the next
build's staging folder, so no build waits for a whole site to be deleted,
and with the content cache on the page cache leaves the pages there that
have not changed since (page_cache/). The swap exchanges the two folders
in one step where the system can (Linux), so there is never a moment without
a whole output folder. One build at a time writes into them: a second waits
for the first (a lock file beside the output folder).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .problems import UserError, display_path
from .seams import build_into

logger = logging.getLogger(__name__)

AT_FDCWD, RENAME_EXCHANGE = -100, 2  # from Linux's <fcntl.h> and <linux/fs.h>
_locks: dict[
    Path, int
] = {}  # output folder -> its lock file, held by this process while it builds there


class OutputFolderError(UserError):
    """The output folder, the staging folder or the folder holding both cannot be written."""

    def __init__(self, output: Path, folder: Path, error: OSError):
        kept = (
            f" {display_path(output)}/ still holds the last good build." if output.is_dir() else ""
        )
        super().__init__(
            f"Casebook cannot write into {display_path(folder)}/ ({error.strerror}), so nothing "
            "was "
            f"built.{kept}\nCheck that the folder exists, that you may write to it and that the "
            "disk "
            "has room; then build again."
        )


def staging_folder(output: Path) -> Path:
    # A sibling of the output folder, so that the final swap is a rename on one disk.
    return output.with_name(f".{output.name}.staging")


def build_into_staging(pelican) -> None:
    """Point this run's generators and writer at the staging folder.

    Connected to `get_generators`, the one signal Pelican sends at the start of
    every run (also in --autoreload mode) before it creates the generators.
    """
    output = Path(pelican.settings["OUTPUT_PATH"])
    staging = staging_folder(output)
    folder = output.parent  # where the lock, the staging folder and the swap are
    try:
        lock(output)
        finish_interrupted_swap(output)
        if not pelican.settings["CACHE_CONTENT"]:  # else the page cache clears what it cannot reuse
            shutil.rmtree(staging, ignore_errors=True)
        # Fail now, not after the whole build (a first build creates the staging folder when it
        # writes).
        for folder in [output.parent, staging] if staging.exists() else [output.parent]:
            tempfile.TemporaryFile(dir=folder).close()
    except OSError as error:
        unlock(output)
        raise OutputFolderError(output, folder, error) from None
    build_into(pelican, str(staging))


def swap_in_staged_output(pelican) -> None:
    output = Path(pelican.settings["OUTPUT_PATH"])
    staging = staging_folder(output)
    try:
        if not (output.is_dir() and exchanged(staging, output)):
            replace_in_two_steps(output, staging)
    except OSError as error:
        raise OutputFolderError(output, output.parent, error) from None
    finally:
        unlock(output)


def exchanged(a: Path, b: Path) -> bool:
    """Swap two folders' names in one step (Linux's renameat2); False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system without the exchange
        return False
    raise OSError(code, os.strerror(code), str(b))


def replace_in_two_steps(output: Path, staging: Path) -> None:
    """The first build's output, or a system without the exchange: output/ is missing for a
    moment."""
    previous = output.with_name(f".{output.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    if previous.exists():
        previous.rename(staging)


def finish_interrupted_swap(output: Path) -> None:
    """A build stopped between the two steps above left the last good site as .previous: put it
    back."""
    previous = output.with_name(f".{output.name}.previous")
    if previous.is_dir() and not output.exists():
        previous.rename(output)


def lock(output: Path) -> None:
    """Wait until no other build writes into this output folder (and its staging folder)."""
    if output in _locks:
        return  # held since an earlier run in this process that failed (livereload, --autoreload)
    descriptor = os.open(output.with_name(f".{output.name}.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        logger.warning(
            "Another build of %s/ is running; this one starts when it has finished.",
            display_path(output),
        )
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    _locks[output] = descriptor


def unlock(output: Path) -> None:
    descriptor = _locks.pop(output, None)
    if descriptor is not None:
        os.close(descriptor)
