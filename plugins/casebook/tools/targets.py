"""Where the journal is published: a folder here, or a folder on a server reached with ssh.

The folder holds `releases/<name>/` (one per publish), `current` (the symlink the web server
follows) and `history` (the releases that were live, oldest first, one a line). Every step is
a short shell command, run by sh here or by ssh there, so a local folder tests the same steps.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..problems import UserError

# Without these, ssh waits minutes for a server that does not answer, or asks for a password or
# about a new host key with nobody there to answer. They come after the team's own options:
# ssh keeps the first value it is given for an option, so a team may still set its own.
SSH_SAFETY = ("-o", "ConnectTimeout=10", "-o", "BatchMode=yes")


class PublishError(UserError):
    """Publishing or rolling back failed; the message says what readers see and what to do."""


@dataclass(frozen=True)
class Target:
    """Where releases live: a folder here, or host:/folder reached with ssh."""

    host: str  # "" for a folder on this machine
    root: str
    ssh_options: tuple[str, ...] = ()  # CASEBOOK_PUBLISH_SSH_OPTIONS, for example ("-p", "2222")

    @classmethod
    def parse(cls, address: str, ssh_options: tuple[str, ...] = ()) -> Target:
        host, separator, root = address.partition(":")
        if separator and "/" not in host and not Path(address).exists():
            return cls(host, root, ssh_options)
        return cls("", str(Path(address).resolve()))

    @property
    def ssh(self) -> list[str]:
        """The ssh command, as rsync is given it too."""
        return ["ssh", *self.ssh_options, *SSH_SAFETY]

    def run(self, script: str) -> str:
        command = [*self.ssh, self.host, script] if self.host else ["sh", "-c", script]
        result = subprocess.run(command, capture_output=True, text=True)
        if self.host and result.returncode == 255:  # ssh's own failure: the script never ran
            raise PublishError(self.unreachable(result.stderr.strip()))
        if result.returncode != 0:
            raise PublishError(
                f"On {self}: {result.stderr.strip() or script}\n"
                "Fix what it says (often who may write to that folder), then try again."
            )
        return result.stdout

    def unreachable(self, ssh_error: str) -> str:
        login = shlex.join([*self.ssh_options, self.host])
        return (
            f"Could not reach {self.host} over ssh: {ssh_error}\n"
            f"Check the address and that the server is up. `ssh {login}` must log in without "
            "asking "
            "anything (no password, no question about the server's key): set the port or key with "
            "CASEBOOK_PUBLISH_SSH_OPTIONS in publishconf.py, or in ~/.ssh/config."
        )

    def releases(self) -> list[str]:
        """The complete releases, by name (a `.partial-` folder is a publish under way or
        stopped)."""
        folder = self.quoted("releases")
        listing = self.run(f"if [ -d {folder} ]; then ls -1 {folder}; fi")
        return sorted(name for name in listing.split() if not name.startswith("."))

    def lived(self) -> list[str]:
        """The releases that were live, oldest first, ending with the one `current` serves.

        The history is read only up to that one: what a rollback left behind is no longer on the
        way back. A target published before the history was kept goes by release names.
        """
        history = self.quoted("history")
        # One login reads both: first where `current` points (an empty line if nowhere), then the
        # history.
        link, *names = self.run(
            f"readlink {self.quoted('current')} || echo; "
            f"if [ -f {history} ]; then cat {history}; fi"
        ).splitlines()
        current, names = link.rsplit("/", 1)[-1], names or self.releases()
        if current not in names:
            return [current] if current else []
        return names[: names.index(current) + 1]

    def go_live(self, release: str, history: list[str]) -> None:
        """Complete a release, record the history it makes, then switch to it: each step one rename.

        The history is written first, so that whatever stops this half-way, it reads true up to
        the release `current` serves.
        """
        names = " ".join(shlex.quote(name) for name in history)
        self.run(
            f"cd {shlex.quote(self.root)} && mv releases/.partial-{release} releases/{release}"
            f" && printf '%s\\n' {names} > history.next && mv -f history.next history"
            f" && {switch_script(release)}"
        )

    def switch(self, release: str) -> None:
        self.run(f"cd {shlex.quote(self.root)} && {switch_script(release)}")

    def quoted(self, name: str) -> str:
        return shlex.quote(f"{self.root}/{name}")

    def rsync_arguments(self, folder: str) -> list[str]:
        """rsync's arguments for copying into releases/<folder>/: the ssh command, and where."""
        path = f"{self.root}/releases/{folder}/"
        return ["-e", shlex.join(self.ssh), f"{self.host}:{path}"] if self.host else [path]

    def __str__(self) -> str:
        return f"{self.host}:{self.root}" if self.host else self.root


def switch_script(release: str) -> str:
    """Point `current` at a release in one rename: readers see the old site or the new."""
    return f"ln -sfn releases/{shlex.quote(release)} current.next && mv -T current.next current"
