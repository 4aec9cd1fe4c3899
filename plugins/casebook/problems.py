"""Problems found in the content, and the error that stops a build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
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


class ContentError(SystemExit):
    """The content has mistakes; the build stops and nothing is written.

    A SystemExit, not an Exception: Pelican prints a traceback for any
    Exception, and a writer of entries needs the list of problems, not our
    stack. Python prints the message and exits with status 1.
    """

    def __init__(self, problems: list[Problem], output_path: str | None = None):
        self.problems = sorted(problems)
        super().__init__(self.report(output_path))

    def report(self, output_path: str | None) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        kept = (
            f" {display_path(Path(output_path))}/ still holds the last good build."
            if output_path
            else ""
        )
        lines = [f"Casebook found {count} {noun} in the content. Nothing was built.{kept}", ""]
        lines += [f"  {problem}" for problem in self.problems]
        lines += ["", "Fix each one, then build again."]
        return "\n".join(lines)
