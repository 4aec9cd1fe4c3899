"""Atomic publishing with rsync: releases/<name>/ plus a `current` symlink.

Each publish copies the site into a new release folder (unchanged files are
hard links to the live release, so it is quick), and only then points
`current` at it with one rename. A publish that stops half-way leaves a
`.partial-` folder that no reader ever sees. The same shell steps run locally
or, for a `user@host:/path` target, over ssh.
"""

from __future__ import annotations

import datetime
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..problems import UserError


class PublishError(UserError):
    """rsync or the switch failed; `current` still serves what it served before."""


@dataclass(frozen=True)
class Target:
    """Where releases live: a local folder, or host:/folder reached with ssh."""

    host: str
    root: str

    @classmethod
    def parse(cls, target: str) -> Target:
        host, separator, root = target.partition(":")
        if separator and "/" not in host and not Path(target).exists():
            return cls(host, root)
        return cls("", str(Path(target).resolve()))

    def run(self, script: str) -> str:
        command = ["sh", "-c", script] if not self.host else ["ssh", self.host, script]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise PublishError(f"On {self}: {result.stderr.strip() or script}")
        return result.stdout

    def releases(self) -> list[str]:
        listing = self.run(f"mkdir -p {self.quoted('releases')} && ls -1 {self.quoted('releases')}")
        return sorted(name for name in listing.split() if not name.startswith("."))

    def current(self) -> str:
        link = self.run(f"readlink {self.quoted('current')} || true").strip()
        return link.rsplit("/", 1)[-1]

    def switch(self, release: str) -> None:
        """Point `current` at a release in one rename: readers see the old site or the new."""
        self.run(f"cd {shlex.quote(self.root)} && ln -sfn releases/{release} current.next && mv -T current.next current")

    def quoted(self, name: str) -> str:
        return shlex.quote(f"{self.root}/{name}")

    def rsync_destination(self, folder: str) -> str:
        path = f"{self.root}/releases/{folder}/"
        return f"{self.host}:{path}" if self.host else path

    def __str__(self) -> str:
        return f"{self.host}:{self.root}" if self.host else self.root


@dataclass(frozen=True)
class Published:
    release: str
    previous: str
    files_changed: int
    removed: list[str]


def release_name(now: datetime.datetime, taken: list[str]) -> str:
    name = now.strftime("%Y%m%dT%H%M%SZ")
    number = 2
    while name in taken:
        name, number = f"{now:%Y%m%dT%H%M%SZ}-{number}", number + 1
    return name


def publish(site: Path, target: Target, keep: int, rsync_options: list[str] = (),
            now: datetime.datetime | None = None) -> Published:
    now = now or datetime.datetime.now(datetime.timezone.utc)
    releases, previous = target.releases(), target.current()
    release = release_name(now, releases)
    partial = f".partial-{release}"
    target.run(f"rm -rf {target.quoted('releases')}/.partial-*")  # left by a publish that was stopped
    link_dest = [f"--link-dest=../{previous}"] if previous else []
    # Every build rewrites every file: compare contents, not times (-rlpD is -a without times,
    # owner and group), so files that did not change are hard links into the live release.
    result = subprocess.run(["rsync", "-rlpD", "--checksum", "--delete", "--itemize-changes", *link_dest, *rsync_options,
                             f"{site}/", target.rsync_destination(partial)], capture_output=True, text=True)
    if result.returncode != 0:
        raise PublishError(f"rsync failed, so nothing changed for readers:\n{result.stderr.strip()}")
    target.run(f"mv {target.quoted('releases/' + partial)} {target.quoted('releases/' + release)}")
    target.switch(release)
    changed = sum(1 for line in result.stdout.splitlines() if line[1:2] == "f")
    removed = prune(target, [*releases, release], keep, release)
    return Published(release, previous, changed, removed)


def prune(target: Target, releases: list[str], keep: int, current: str) -> list[str]:
    """Remove all but the newest `keep` releases (never the live one)."""
    old = [name for name in sorted(releases)[:-keep] if name != current] if keep > 0 else []
    if old:
        target.run("rm -rf " + " ".join(target.quoted(f"releases/{name}") for name in old))
    return old


def rollback(target: Target) -> tuple[str, str]:
    """Point `current` back at the release before it; return (from, to)."""
    releases, current = target.releases(), target.current()
    earlier = [name for name in releases if name < current]
    if not earlier:
        raise PublishError(f"There is no release before {current or 'the current one'} on {target} to go back to.")
    target.switch(earlier[-1])
    return current, earlier[-1]
