"""Write an import all at once or not at all.

Every new file is first written to a temporary folder and scanned for personal data; only
then are they put in place, never over an existing file. If one cannot be put in place,
those already put are removed again, with any folder the import made: content/ is as it was.
"""

from __future__ import annotations

import tempfile
from contextlib import suppress
from pathlib import Path

from ...content.people import load_roster
from ...content.privacy.journal import journal_scanner
from ...problems import display_path
from ...settings import CasebookSettings
from ..authoring import RefusedError, write_new_file
from .model import ImportRefused
from .plan import NewFile


def write_all(files: list[NewFile], settings: CasebookSettings, dry_run: bool) -> list[str]:
    """Write the files (unless dry_run); return the privacy scan's findings in them, as warnings."""
    with tempfile.TemporaryDirectory(prefix="casebook-import-") as folder:
        staged = stage(files, Path(folder), settings)
        warnings = privacy_warnings(staged, settings)
        if not dry_run:
            put_in_place(staged)
    return warnings


def stage(files: list[NewFile], folder: Path, settings: CasebookSettings) -> dict[Path, Path]:
    """Each file written under `folder`: its place in the journal -> where it was staged."""
    staged = {}
    try:
        for file in files:
            temporary = folder / file.path.relative_to(settings.content_path)
            temporary.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(file.text.encode("utf-8"))
            staged[file.path] = temporary
    except OSError as error:
        raise ImportRefused(
            f"Nothing was imported: the files could not be prepared in {folder} ({error.strerror})."
        ) from None
    return staged


def privacy_warnings(staged: dict[Path, Path], settings: CasebookSettings) -> list[str]:
    """The privacy scan of the staged files, each finding named by the file's place in the
    journal."""
    scanner = journal_scanner(settings, load_roster(settings)[0])
    scans = scanner.scan(
        [(path, temporary.read_text(encoding="utf-8")) for path, temporary in staged.items()]
    )
    return [str(finding) for scan in scans for finding in scan.findings]


def put_in_place(staged: dict[Path, Path]) -> None:
    made = {
        folder
        for path in staged
        for folder in (path.parent, *path.parent.parents)
        if not folder.exists()
    }
    written: list[Path] = []
    for path, temporary in staged.items():
        try:
            write_new_file(path, temporary.read_text(encoding="utf-8"))
        except (OSError, RefusedError) as error:
            if isinstance(error, OSError) and path.exists():
                written.append(path)  # opened (never over a file: "x"), then the writing failed
            undo(written, made)
            reason = (
                error.strerror
                if isinstance(error, OSError)
                else "a file of that name appeared meanwhile"
            )
            raise ImportRefused(
                f"Nothing was imported: {display_path(path)} could not be written ({reason}). "
                "The journal is as it was."
            ) from None
        written.append(path)


def undo(written: list[Path], made: set[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)
    for folder in sorted(made, key=lambda folder: len(folder.parts), reverse=True):
        with suppress(OSError):  # not empty: something else was saved there meanwhile, so it stays
            folder.rmdir()
