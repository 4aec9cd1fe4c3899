"""Trusted endorsements: each endorsement committed to git by the supervisor it names.

With CASEBOOK_VERIFY_ENDORSEMENTS on, `invoke check` (and so `publish`) reads
the journal's git history: every commit that added or changed an endorsing
comment's file must have the endorsing supervisor's roster e-mail as its author
(and, with CASEBOOK_REQUIRE_SIGNED, a signature git verifies, made with that
e-mail's key). This stops a staff member typing their supervisor's name under
"Endorsement: yes". It cannot stop someone committing as the supervisor: with
their account, or (without signatures) by setting the supervisor's e-mail in
their own git.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..content.comments import endorses
from ..content.headers import Header
from ..content.people import Person, Roster
from ..problems import Problem
from ..settings import CasebookSettings

FIELD, RECORD = "\x1f", "\x1e"


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    author: str
    email: str
    committer: str
    committer_email: str
    subject: str

    def __str__(self) -> str:
        committed = (
            f", committed by {self.committer} <{self.committer_email}>"
            if (self.committer, self.committer_email) != (self.author, self.email)
            else ""
        )
        return (
            f'commit {self.sha[:10]} ("{self.subject}") by {self.author} <{self.email}>{committed}'
        )


class GitError(Exception):
    """git could not answer: not installed, or not a repository."""


def git(folder: Path, *arguments: str) -> str:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *arguments], capture_output=True, text=True
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if result.returncode != 0:
        raise GitError(result.stderr.strip() or f"git {arguments[0]} failed")
    return result.stdout


def check_endorsements(
    comments: list[Header], roster: Roster, settings: CasebookSettings, publishing: bool
) -> tuple[list[Problem], list[Problem]]:
    """Errors and warnings: supervisors without an e-mail, endorsements others committed, or none
    yet."""
    errors = without_email(roster)
    people = [
        (header, roster.people.get(header.value("author")))
        for header in comments
        if endorses(header)
    ]
    endorsing = [(header, person) for header, person in people if person and person.email]
    if not endorsing:
        return errors, []
    try:
        root, history, uncommitted = read_history(settings)
    except GitError as error:
        return errors + [
            Problem(
                settings.content_path,
                None,
                "CASEBOOK_VERIFY_ENDORSEMENTS is on, but git cannot "
                f"read the journal's history ({error}), so no endorsement can be checked. Keep "
                "the journal in a git repository (with its whole history), or turn the setting "
                "off.",
            )
        ], []
    commits = {
        commit for header, _ in endorsing for commit in history.get(header.path.resolve(), [])
    }
    signatures = signature_checks(root, commits) if settings.require_signed else {}
    warnings = []
    for header, person in endorsing:
        path = header.path.resolve()
        if path in uncommitted or not history.get(path):
            (errors if publishing else warnings).append(not_committed(header, person))
        else:
            errors += refusals(header, person, history[path], signatures)
    return errors, warnings


def without_email(roster: Roster) -> list[Problem]:
    return [
        Problem(
            roster.path,
            person.line,
            f"{person.name} is a supervisor with no email. While "
            "CASEBOOK_VERIFY_ENDORSEMENTS is on, each supervisor needs the e-mail address their "
            "git "
            f'commits carry: add a line such as email = "{example_email(person)}".',
        )
        for person in roster.people.values()
        if person.is_supervisor and not person.email
    ]


def read_history(settings: CasebookSettings) -> tuple[Path, dict[Path, list[Commit]], set[Path]]:
    """The repository's folder, each comment file's commits, and the comment files not committed as
    they are."""
    top, shallow = git(
        settings.content_path, "rev-parse", "--show-toplevel", "--is-shallow-repository"
    ).split()
    if shallow == "true":
        raise GitError("this is a shallow clone: its history is cut short")
    root = Path(top).resolve()
    return (
        root,
        file_history(root, settings.comments_path),
        changed_files(root, settings.comments_path),
    )


def refusals(
    header: Header, person: Person, commits: list[Commit], signatures: dict[str, tuple[str, str]]
) -> list[Problem]:
    """Why the commits of an endorsement's file do not show its supervisor wrote it (none: they
    do)."""
    problems = []
    for commit in commits:
        verb = "added" if commit is commits[-1] else "changed"  # git lists the newest first
        why = ""
        if commit.email.lower() != person.email.lower():
            why = f"but {commit} {verb} this file"
        elif commit.sha in signatures and not signed_by(*signatures[commit.sha], person.email):
            status, signer = signatures[commit.sha]
            signed = (
                f"is signed by {signer}" if status == "G" else "has no signature git can verify"
            )
            why = f"but {commit}, which {verb} this file, {signed} (CASEBOOK_REQUIRE_SIGNED)"
        if why:
            problems.append(
                Problem(
                    header.path,
                    header.line("endorsement"),
                    f"This endorsement is in "
                    f"{person.name}'s name ({person.email} on the roster), {why}. Only "
                    f"{person.name} may commit it: ask them to commit their endorsement "
                    "themselves, or remove the Endorsement line.",
                )
            )
    return problems


def not_committed(header: Header, person: Person) -> Problem:
    return Problem(
        header.path,
        header.line("endorsement"),
        "This endorsement is not yet committed, so who wrote "
        f"it cannot be checked; publishing refuses it until {person.name} commits it with git "
        f"(as {person.email}).",
    )


def file_history(root: Path, folder: Path) -> dict[Path, list[Commit]]:
    """Every commit that added or changed each file under folder, newest first; a moved file counts
    as added."""
    log = git(
        root,
        "log",
        "--full-history",
        "--no-renames",
        "--name-only",
        "-z",
        f"--format={RECORD}%H{FIELD}%an{FIELD}%ae{FIELD}%cn{FIELD}%ce{FIELD}%s",
        "--",
        str(folder),
    )
    history: dict[Path, list[Commit]] = {}
    for record in log.split(RECORD)[1:]:
        header, _, names = record.partition("\0")
        commit = Commit(*header.split(FIELD, 5))
        for name in names.strip("\n").split("\0"):
            if name:
                history.setdefault((root / name).resolve(), []).append(commit)
    return history


def changed_files(root: Path, folder: Path) -> set[Path]:
    """Files under folder that differ from the last commit: new, changed, staged or not."""
    status = git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", str(folder))
    return {(root / entry[3:]).resolve() for entry in status.split("\0") if len(entry) > 3}


def signature_checks(root: Path, commits: set[Commit]) -> dict[str, tuple[str, str]]:
    """Each commit's signature as git verifies it (as `git verify-commit` does): status letter and
    signer."""
    if not commits:
        return {}
    shown = git(
        root,
        "show",
        "--no-patch",
        "--no-walk=unsorted",
        f"--format=%H{FIELD}%G?{FIELD}%GS",
        *sorted(commit.sha for commit in commits),
    )
    return {
        sha: (status, signer)
        for sha, status, signer in (
            line.split(FIELD) for line in shown.splitlines() if line.count(FIELD) == 2
        )
    }


def signed_by(status: str, signer: str, email: str) -> bool:
    """A good signature (G) from the key git's trust settings give this e-mail ("Name <email>" for
    GPG)."""
    return status == "G" and signer.rpartition("<")[2].rstrip(">").strip().lower() == email.lower()


def example_email(person: Person) -> str:
    return f"{person.name.lower().replace(' ', '.')}@example.com"
