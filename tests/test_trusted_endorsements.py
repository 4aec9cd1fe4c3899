"""Trusted endorsements: `invoke check` and `invoke publish` read who committed each endorsement,
in a real temporary git repository (and, for signed commits, real ssh signing keys)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import run_invoke

EMAILS = {
    "Julie Hill": "julie.hill@example.com",
    "Tom Okafor": "tom.okafor@example.com",
    "Marcus Reed": "marcus.reed@example.com",
    "Priya Nair": "priya.nair@example.com",
}
NEW_ENDORSEMENT = "content/comments/silence-on-the-line/julie-hill.md"


@pytest.fixture(autouse=True)
def plain_git(monkeypatch, tmp_path):
    """git as on a fresh machine: no personal or system settings (no signing by default, no
    hooks)."""
    (tmp_path / "gitconfig").write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv(
        "CASEBOOK_SITEURL", "https://casebook.test"
    )  # publishing refuses the placeholder


class Repository:
    def __init__(self, root: Path):
        self.root = root
        self.git("init", "-q")

    def git(self, *arguments: str) -> str:
        return subprocess.run(
            ["git", *arguments], cwd=self.root, check=True, capture_output=True, text=True
        ).stdout

    def commit(
        self, who: str, *paths: str, message: str = "", email: str = "", key: Path | None = None
    ) -> str:
        """Commit these files as `who` (their roster e-mail unless another is given), signed with
        `key` if given."""
        self.git("add", "--", *paths)
        signing = (
            ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "commit", "-S"]
            if key
            else ["commit"]
        )
        self.git(
            "-c",
            f"user.name={who}",
            "-c",
            f"user.email={email or EMAILS[who]}",
            *signing,
            "-q",
            "-m",
            message or f"{who}'s comment",
        )
        return self.git("rev-parse", "HEAD").strip()


def comment_files(project: Path) -> dict[str, list[str]]:
    """The sample journal's comments, by who wrote them (read from the files)."""
    by_author: dict[str, list[str]] = {}
    for path in sorted((project / "content/comments").rglob("*.md")):
        author = re.search(r"^Author: (.+)$", path.read_text(encoding="utf-8"), re.M).group(1)
        by_author.setdefault(author, []).append(str(path.relative_to(project)))
    return by_author


def trusting(project: Path, *extra: str) -> None:
    """Turn the setting on, and give every supervisor (and the staff who commit) their roster
    e-mail."""
    with (project / "pelicanconf.py").open("a") as settings:
        settings.write(
            "\nCASEBOOK_VERIFY_ENDORSEMENTS = True\n" + "".join(f"{line}\n" for line in extra)
        )
    roster = project / "content/people.toml"
    text = roster.read_text(encoding="utf-8")
    for name, email in EMAILS.items():
        text = re.sub(
            rf'(name = "{name}"\nrole = "\w+"\n)(email = .*\n)?', rf'\1email = "{email}"\n', text
        )
    roster.write_text(text, encoding="utf-8")


def committed_journal(project: Path, keys: dict[str, Path] | None = None) -> Repository:
    """The sample journal in git: everything by a lead, but each comment by the person who wrote
    it."""
    repository = Repository(project)
    comments = comment_files(project)
    theirs = {path for paths in comments.values() for path in paths}
    everything = repository.git("ls-files", "--others", "--exclude-standard").splitlines()
    repository.commit(
        "Lead",
        *[path for path in everything if path not in theirs],
        email="lead@example.com",
        message="The journal",
    )
    for author, paths in comments.items():
        repository.commit(
            author,
            *paths,
            email=EMAILS.get(author, "staff@example.com"),
            key=(keys or {}).get(author),
        )
    return repository


def check(project: Path) -> subprocess.CompletedProcess:
    return run_invoke(project, "check", timeout=300)


def endorse_silence(project: Path) -> None:
    path = project / NEW_ENDORSEMENT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "Author: Julie Hill\nDate: 2025-02-12 10:00\nEndorsement: yes\n\nTrain everyone on this.\n"
    )


def test_endorsements_committed_by_their_supervisors_are_accepted(project):
    trusting(project)
    committed_journal(project)
    result = check(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors." in result.stdout and "endorsement" not in result.stdout.lower()


def test_an_endorsement_someone_else_committed_is_refused_naming_file_commit_and_author(project):
    trusting(project)
    repository = committed_journal(project)
    endorse_silence(project)
    sha = repository.commit("Marcus Reed", NEW_ENDORSEMENT, message="Endorse Priya's entry")
    result = check(project)
    assert result.returncode == 1
    assert (
        f"{NEW_ENDORSEMENT}:3: This endorsement is in Julie Hill's name (julie.hill@example.com "
        "on the roster), "
        f'but commit {sha[:10]} ("Endorse Priya\'s entry") by Marcus Reed '
        "<marcus.reed@example.com> added this "
        "file."
    ) in result.stdout
    assert result.stdout.count("This endorsement is") == 1  # the supervisors' own are accepted


def test_a_change_by_someone_else_to_a_supervisors_comment_is_refused(project):
    """Adding "Endorsement: yes" to a comment the supervisor committed without one is the same
    threat."""
    trusting(project)
    repository = committed_journal(project)
    # Julie's reply, not an endorsement
    reply = "content/comments/the-message-i-did-not-take/julie-hill-2.md"
    path = project / reply
    path.write_text(
        path.read_text().replace(
            "Replyto: marcus-reed-reply\n", "Replyto: marcus-reed-reply\nEndorsement: yes\n"
        )
    )
    sha = repository.commit("Priya Nair", reply, message="Endorse")
    result = check(project)
    assert result.returncode == 1
    assert (
        f'but commit {sha[:10]} ("Endorse") by Priya Nair <priya.nair@example.com> changed this '
        "file" in result.stdout
    )
    assert "the-message-i-did-not-take/julie-hill-2.md:4:" in result.stdout


def test_the_author_counts_not_who_ran_git_commit(project):
    """A lead may commit a supervisor's endorsement for them (git commit --author): the author is
    checked."""
    trusting(project)
    repository = committed_journal(project)
    endorse_silence(project)
    repository.git("add", NEW_ENDORSEMENT)
    repository.git(
        "-c",
        "user.name=Marcus Reed",
        "-c",
        "user.email=marcus.reed@example.com",
        "commit",
        "-q",
        "--author",
        "Julie Hill <julie.hill@example.com>",
        "-m",
        "Julie's endorsement",
    )
    result = check(project)
    assert result.returncode == 0, result.stdout


def test_uncommitted_endorsements_are_a_warning_in_check_and_an_error_in_publish(project, tmp_path):
    trusting(project)
    committed_journal(project)
    endorse_silence(project)
    message = (
        f"{NEW_ENDORSEMENT}:3: This endorsement is not yet committed, so who wrote it cannot be "
        "checked; "
        "publishing refuses it until Julie Hill commits it with git (as julie.hill@example.com)."
    )
    checked = check(project)
    assert checked.returncode == 0, checked.stdout
    assert message in checked.stdout.split("Warnings")[1]
    target = tmp_path / "target"
    published = run_invoke(project, "publish", "--target", str(target), timeout=300)
    assert published.returncode == 1
    assert message in published.stdout.split("Errors")[1].split("Warnings")[0]
    assert "Nothing was published" in published.stderr + published.stdout
    assert not (target / "current").exists()


def test_a_supervisor_without_an_email_is_an_error_while_the_setting_is_on(project):
    trusting(project)
    roster = project / "content/people.toml"
    roster.write_text(roster.read_text().replace('email = "tom.okafor@example.com"\n', ""))
    committed_journal(project)
    line = (
        roster.read_text()
        .splitlines()
        .index("[[person]]", roster.read_text().splitlines().index('name = "Julie Hill"'))
        + 1
    )
    result = check(project)
    assert result.returncode == 1
    assert (
        f"content/people.toml:{line}: Tom Okafor is a supervisor with no email. While "
        "CASEBOOK_VERIFY_ENDORSEMENTS is on"
    ) in result.stdout


def test_outside_a_git_repository_nothing_can_be_trusted(project):
    trusting(project)
    result = check(project)
    assert result.returncode == 1
    assert (
        "CASEBOOK_VERIFY_ENDORSEMENTS is on, but git cannot read the journal's history"
        in result.stdout
    )


def test_a_shallow_clone_cannot_be_trusted(project, tmp_path):
    """Its oldest commit would seem to add every file: the check says it cannot tell instead."""
    trusting(project)
    committed_journal(project)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project}", clone], check=True)
    result = check(clone)
    assert result.returncode == 1
    assert (
        "git cannot read the journal's history (this is a shallow clone: its history is cut short)"
        in result.stdout
    )


def test_without_the_setting_nothing_is_asked_of_git(project):
    repository = committed_journal(project)
    endorse_silence(project)
    repository.commit("Marcus Reed", NEW_ENDORSEMENT)
    result = check(project)
    assert result.returncode == 0 and "endorsement" not in result.stdout.lower()


@pytest.fixture
def keys(tmp_path) -> dict[str, Path]:
    """An ssh signing key each for Julie, Tom and Marcus, and git's list of whose key is whose."""
    folder = tmp_path / "keys"
    folder.mkdir()
    keys, allowed = {}, []
    for name in ("Julie Hill", "Tom Okafor", "Marcus Reed"):
        key = folder / name.split()[0].lower()
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key], check=True
        )
        keys[name] = key
        allowed.append(f"{EMAILS[name]} {' '.join(Path(f'{key}.pub').read_text().split()[:2])}\n")
    (folder / "allowed_signers").write_text("".join(allowed))
    return keys


def test_with_signatures_required_only_the_supervisors_own_signed_commits_count(project, keys):
    trusting(project, "CASEBOOK_REQUIRE_SIGNED = True")
    repository = committed_journal(project, keys)
    repository.git(
        "config", "gpg.ssh.allowedSignersFile", str(keys["Julie Hill"].parent / "allowed_signers")
    )
    result = check(project)
    assert result.returncode == 0, result.stdout
    # who commits Julie's new endorsement, as what author, signed with what; what the check says
    attempts = [
        (
            "Marcus Reed",
            EMAILS["Julie Hill"],
            keys["Marcus Reed"],
            "is signed by marcus.reed@example.com",
        ),
        ("Julie Hill", EMAILS["Julie Hill"], None, "has no signature git can verify"),
        ("Julie Hill", EMAILS["Julie Hill"], keys["Julie Hill"], None),
    ]
    for who, email, key, refusal in attempts:
        endorse_silence(project)
        sha = repository.commit(who, NEW_ENDORSEMENT, email=email, key=key)
        result = check(project)
        if refusal is None:
            assert result.returncode == 0, result.stdout
        else:
            assert result.returncode == 1
            assert (
                f'commit {sha[:10]} ("{who}\'s comment") by {who} <{email}>, which added this '
                "file, "
                f"{refusal} (CASEBOOK_REQUIRE_SIGNED)"
            ) in result.stdout
        repository.git("reset", "-q", "--hard", "HEAD~1")
