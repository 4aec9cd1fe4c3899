"""Problems found in the content, and the error that stops a build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One mistake in a content file: where it is and how to fix it."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


def display_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it, else in full."""
    absolute = Path(path).resolve()
    if absolute.is_relative_to(Path.cwd()):
        return str(absolute.relative_to(Path.cwd()))
    return str(absolute)


class UserError(SystemExit):
    """Ends the command with a message for the user and exit status 1.

    A SystemExit, not an Exception: Pelican prints a traceback for any
    Exception, and a writer of entries needs to know what to fix, not our
    stack. Python prints the message to stderr and exits with status 1.
    """


class ContentError(UserError):
    """The content has mistakes: the build stops before anything is read or written."""

    def __init__(self, problems: list[Problem], output: Path):
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line or 0))
        count = len(self.problems)
        kept = (
            f" {display_path(output)}/ still holds the last good build." if output.exists() else ""
        )
        lines = [
            f"Casebook found {count} problem{'' if count == 1 else 's'} in the content. "
            f"Nothing was built.{kept}",
            "",
        ]
        lines += [f"  {problem}" for problem in self.problems]
        lines += ["", "Fix each one, then build again."]
        super().__init__("\n".join(lines))


class ContentChanged(ContentError):
    """Files were saved again while they were being built: what was checked is not what was read."""

    def __init__(self, paths: list[Path], settings: dict):
        super().__init__(
            [
                Problem(
                    path,
                    None,
                    "This file changed while the journal was being built, so what "
                    "was checked is not what would be built. Build again.",
                )
                for path in paths
            ],
            Path(settings["OUTPUT_PATH"]),
        )
