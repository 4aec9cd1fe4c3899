"""Atomic publishing with rsync: releases/<name>/, the `current` symlink, and a history of what was
live.

Each publish copies the site into a new release folder (unchanged files are hard links to the live
release, so it is quick), and only then points `current` at it with one rename. A publish that
stops half-way leaves a `.partial-` folder that no reader ever sees. Rollback goes back along the
releases that were live; a publish keeps only the releases that rollback can still reach.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .targets import PublishError, Target

NOTHING_PUBLISHED = "Nothing was published: readers still see what they saw before."
NOTHING_CHANGED = "Nothing was changed: readers still see what they saw before."
# Reserved for examples (RFC 2606 and 6761): an address under one of these is never the real one.
EXAMPLE_DOMAINS = ("example", "example.com", "example.net", "example.org")


def target_problem(address: str) -> str:
    if address.strip():
        return ""
    return (
        "CASEBOOK_PUBLISH_TARGET is empty, so there is nowhere to publish to. Set it in "
        "publishconf.py "
        "(or in the environment) to a folder or user@host:/folder, or give one with --target."
    )


def site_url_problem(site_url: str) -> str:
    host = urlsplit(site_url).hostname or ""
    if host and not any(
        host == domain or host.endswith(f".{domain}") for domain in EXAMPLE_DOMAINS
    ):
        return ""
    return (
        f'SITEURL is "{site_url}", not the address readers use. Set SITEURL in publishconf.py (or '
        "CASEBOOK_SITEURL in the environment) to it, for example https://casebook.yourcompany.internal."
    )


def rsync_problem() -> str:
    if shutil.which("rsync"):
        return ""
    return (
        "rsync is not installed, and publishing copies the site with it. Install it "
        "(Debian or Ubuntu: sudo apt-get install rsync; macOS: brew install rsync)."
    )


def ready_target(address: str, site_url: str, ssh_options: tuple[str, ...]) -> Target:
    """The target, once nothing stops a publish: checked before the build, so mistakes show in
    seconds."""
    problems = [
        problem
        for problem in (target_problem(address), site_url_problem(site_url), rsync_problem())
        if problem
    ]
    if problems:
        raise PublishError(
            "\n".join(
                [
                    "Casebook cannot publish yet:",
                    "",
                    *(f"  {p}" for p in problems),
                    "",
                    f"Fix each one, then publish again. {NOTHING_PUBLISHED}",
                ]
            )
        )
    target = Target.parse(address, ssh_options)
    try:
        target.lived()  # logs in once: a wrong address or key fails now, not after the build
    except PublishError as error:
        raise PublishError(f"{error}\n{NOTHING_PUBLISHED}") from None
    return target


def rollback_target(address: str, ssh_options: tuple[str, ...]) -> Target:
    if problem := target_problem(address):
        raise PublishError(f"{problem}\n{NOTHING_CHANGED}")
    return Target.parse(address, ssh_options)


@dataclass(frozen=True)
class Published:
    release: str
    previous: str  # the release live before, "" for the first
    files_changed: int
    removed: list[str]


def release_name(now: datetime.datetime, taken: list[str]) -> str:
    name = now.strftime("%Y%m%dT%H%M%SZ")
    number = 2
    while name in taken:
        name, number = f"{now:%Y%m%dT%H%M%SZ}-{number}", number + 1
    return name


def publish(
    site: Path,
    target: Target,
    keep: int,
    rsync_options: list[str] = (),
    now: datetime.datetime | None = None,
) -> Published:
    """Copy the site as a new release, switch `current` to it, and keep `keep` releases for
    rollback."""
    now = now or datetime.datetime.now(datetime.UTC)
    try:
        lived, releases = target.lived(), target.releases()
        previous = lived[-1] if lived else ""
        release = release_name(now, releases)
        changed = upload(site, target, release, previous, rsync_options)
        kept = [*lived, release][-keep:]
        target.go_live(release, kept)
    except PublishError as error:
        raise PublishError(f"{error}\n{NOTHING_PUBLISHED}") from None
    return Published(release, previous, changed, prune(target, releases, kept))


def upload(
    site: Path, target: Target, release: str, previous: str, rsync_options: list[str]
) -> int:
    """Copy the site into releases/.partial-<release>/; return how many files differ from
    `previous`."""
    releases = target.quoted("releases")
    target.run(
        f"mkdir -p {releases} && rm -rf {releases}/.partial-*"
    )  # left by a publish that was stopped
    link_dest = [f"--link-dest=../{previous}"] if previous else []
    # Every build rewrites every file: compare contents, not times (-rlpD is -a without times,
    # owner and group), so files that did not change are hard links into the live release.
    result = subprocess.run(
        [
            "rsync",
            "-rlpD",
            "--checksum",
            "--delete",
            "--itemize-changes",
            *link_dest,
            *rsync_options,
            f"{site}/",
            *target.rsync_arguments(f".partial-{release}"),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise PublishError(
            f"rsync could not copy the site to {target}:\n{result.stderr.strip()}\n"
            "Fix what it says, then publish again."
        )
    return sum(1 for line in result.stdout.splitlines() if line[1:2] == "f")


def prune(target: Target, releases: list[str], kept: list[str]) -> list[str]:
    """Remove the releases that rollback can no longer reach."""
    old = [name for name in releases if name not in kept]
    if old:
        target.run("rm -rf " + " ".join(target.quoted(f"releases/{name}") for name in old))
    return old


def rollback(target: Target) -> tuple[str, str]:
    """Point `current` back at the release that was live before it; return (from, to)."""
    try:
        lived = target.lived()
        if not lived:
            raise PublishError(
                f"Nothing is published at {target}: there is no `current` there. "
                "Check the address (--target or CASEBOOK_PUBLISH_TARGET)."
            )
        if len(lived) == 1:
            raise PublishError(
                f"{target}/current serves {lived[0]}, and no release was live before "
                f"{lived[0]} that is still kept, so there is none to go back to."
            )
        target.switch(lived[-2])
    except PublishError as error:
        raise PublishError(f"{error}\n{NOTHING_CHANGED}") from None
    return lived[-1], lived[-2]
