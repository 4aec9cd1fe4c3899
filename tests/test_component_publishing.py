"""tools/publishing.py and tools/targets.py alone: releases, `current`, history and rollback, with
real rsync into temporary folders and no site build. (tests/test_publish.py runs the whole
`invoke publish` and `invoke rollback`, over ssh too.) Also the test file for the mutation run of
publishing.py and targets.py (docs/mutation.md).
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import shutil
from pathlib import Path

import pytest
from pelican.plugins.casebook.tools.publishing import (
    NOTHING_CHANGED,
    NOTHING_PUBLISHED,
    Published,
    publish,
    ready_target,
    release_name,
    rollback,
    rollback_target,
    rsync_problem,
    site_url_problem,
    target_problem,
)
from pelican.plugins.casebook.tools.targets import SSH_SAFETY, PublishError, Target, switch_script

pytestmark = pytest.mark.skipif(
    shutil.which("rsync") is None and os.environ.get("CI") != "true",
    reason="rsync is not installed (apt-get install rsync)",
)
# Nothing listens on port 1: ssh fails at once, as with a server that is down.
NOBODY = ("-p", "1", "-o", "HostName=127.0.0.1")


def at(second: int) -> datetime.datetime:
    return datetime.datetime(2026, 3, 1, 9, 30, second, tzinfo=datetime.UTC)


def site(folder: Path, **files: str) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def live(root: Path) -> str:
    return os.readlink(root / "current").removeprefix("releases/")


def history(root: Path) -> list[str]:
    return (root / "history").read_text().split()


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "target folder"  # a space: every path in a command is quoted


@pytest.fixture
def target(root) -> Target:
    return Target.parse(str(root))


def test_a_first_publish_makes_a_release_history_and_current(tmp_path, root, target):
    published = publish(
        site(tmp_path / "site", **{"index.html": "one", "a/b.html": "b"}), target, 3
    )
    name = published.release
    assert published == Published(name, "", 2, [])
    with pytest.raises(dataclasses.FrozenInstanceError):
        published.release = "another"
    assert live(root) == name and history(root) == [name]
    assert (root / "current" / "a" / "b.html").read_text() == "b"
    assert sorted(path.name for path in (root / "releases").iterdir()) == [name]
    assert datetime.datetime.strptime(name, "%Y%m%dT%H%M%SZ")  # named by the clock, in UTC


def test_a_second_publish_copies_only_what_changed_and_links_the_rest(tmp_path, root, target):
    first = publish(site(tmp_path / "site", same="same", old="old", gone="x"), target, 3, now=at(0))
    second = publish(site(tmp_path / "site", same="same", old="new"), target, 3, now=at(1))
    assert second == Published("20260301T093001Z", first.release, 1, [])
    releases = root / "releases"
    assert os.path.samefile(releases / first.release / "same", releases / second.release / "same")
    assert (releases / second.release / "old").read_text() == "new"
    assert not (releases / second.release / "gone").exists()
    assert history(root) == [first.release, second.release] and live(root) == second.release


def test_rsync_options_of_the_team_are_passed_on(tmp_path, root, target):
    files = site(tmp_path / "site", keep="k", **{"skip.tmp": "s"})
    publish(files, target, 3, rsync_options=["--exclude=*.tmp"], now=at(0))
    assert sorted(path.name for path in (root / "current").iterdir()) == ["keep"]


def test_two_publishes_in_the_same_second_are_two_releases(tmp_path, root, target):
    names = [
        publish(site(tmp_path / "site", index=str(n)), target, 5, now=at(0)).release
        for n in range(3)
    ]
    assert names == ["20260301T093000Z", "20260301T093000Z-2", "20260301T093000Z-3"]
    assert (root / "current" / "index").read_text() == "2"
    assert release_name(at(0), []) == "20260301T093000Z"
    assert release_name(at(0), ["20260301T093000Z", "20260301T093000Z-2"]) == ("20260301T093000Z-3")
    assert release_name(at(0), ["20260301T093000Z-2"]) == "20260301T093000Z"


def test_publishing_keeps_only_the_releases_rollback_can_reach(tmp_path, root, target):
    names = [
        publish(site(tmp_path / "s", i=str(n)), target, 5, now=at(n)).release for n in range(4)
    ]
    fifth = publish(site(tmp_path / "s", i="4"), target, 3, now=at(4))
    assert fifth.removed == names[:2] and fifth.previous == names[3]
    assert sorted(p.name for p in (root / "releases").iterdir()) == [*names[2:], fifth.release]
    assert history(root) == [*names[2:], fifth.release]
    last = publish(site(tmp_path / "s", i="5"), target, 1, now=at(5))
    assert last.removed == [*names[2:], fifth.release]
    assert [p.name for p in (root / "releases").iterdir()] == [last.release] == [live(root)]


def test_a_stopped_publish_leaves_a_partial_folder_that_is_no_release(tmp_path, root, target):
    first = publish(site(tmp_path / "site", index="1"), target, 3, now=at(0))
    partial = root / "releases" / ".partial-20260301T093005Z"
    partial.mkdir()
    (partial / "index").write_text("half")
    assert target.releases() == [first.release] and target.lived() == [first.release]
    with pytest.raises(PublishError, match="none to go back to"):
        rollback(target)
    second = publish(site(tmp_path / "site", index="2"), target, 3, now=at(1))
    assert [p.name for p in (root / "releases").iterdir() if p.name.startswith(".")] == []
    assert second.removed == [] and second.previous == first.release


def test_rollback_goes_back_along_what_was_live(tmp_path, root, target):
    ahead = publish(site(tmp_path / "site", index="ahead"), target, 5, now=at(30)).release
    behind = publish(site(tmp_path / "site", index="behind"), target, 5, now=at(10)).release
    third = publish(site(tmp_path / "site", index="third"), target, 5, now=at(20)).release
    assert rollback(target) == (third, behind)
    assert rollback(target) == (behind, ahead)
    assert (root / "current" / "index").read_text() == "ahead" and live(root) == ahead
    # A publish after a rollback goes on from what was live: the releases rolled back are gone.
    fourth = publish(site(tmp_path / "site", index="fourth"), target, 5, now=at(40))
    assert history(root) == [ahead, fourth.release] and fourth.previous == ahead
    assert sorted(fourth.removed) == sorted([behind, third])


def test_rollback_of_nothing_or_of_a_first_release_says_why_and_changes_nothing(
    tmp_path, root, target
):
    with pytest.raises(PublishError) as error:
        rollback(target)
    assert str(error.value) == (
        f"Nothing is published at {root}: there is no `current` there. Check the address "
        "(--target or CASEBOOK_PUBLISH_TARGET).\n"
        "Nothing was changed: readers still see what they saw before."
    )
    assert not root.exists()
    name = publish(site(tmp_path / "site", index="1"), target, 3, now=at(0)).release
    with pytest.raises(PublishError) as error:
        rollback(target)
    assert str(error.value) == (
        f"{root}/current serves {name}, and no release was live before {name} that is still "
        f"kept, so there is none to go back to.\n{NOTHING_CHANGED}"
    )
    assert live(root) == name


def test_a_target_published_before_the_history_was_kept_goes_by_release_names(
    tmp_path, root, target
):
    names = [
        publish(site(tmp_path / "s", i=str(n)), target, 5, now=at(n)).release for n in range(3)
    ]
    (root / "history").unlink()
    assert target.lived() == names
    assert rollback(target) == (names[2], names[1])
    assert rollback(target) == (names[1], names[0])
    (root / "history").write_text(f"{names[0]}\n")  # current no longer in it
    target.switch(names[2])
    assert target.lived() == [names[2]]


def test_a_history_is_read_up_to_the_release_current_serves(tmp_path, root, target):
    names = [
        publish(site(tmp_path / "s", i=str(n)), target, 5, now=at(n)).release for n in range(3)
    ]
    target.switch(names[1])
    assert target.lived() == names[:2]


def test_the_target_folder_is_only_made_by_a_publish(root, target):
    assert target.lived() == [] and target.releases() == [] and not root.exists()


def test_rsync_failing_is_reported_with_its_message_and_nothing_goes_live(tmp_path, root, target):
    first = publish(site(tmp_path / "site", index="1"), target, 3, now=at(0)).release
    with pytest.raises(PublishError) as error:
        publish(tmp_path / "no such site", target, 3, now=at(1))
    message = str(error.value)
    assert message.startswith(f"rsync could not copy the site to {root}:\n")
    assert "no such site" in message
    assert message.endswith(
        "Fix what it says, then publish again.\n"
        "Nothing was published: readers still see what they saw before."
    )
    assert live(root) == first and history(root) == [first]


def test_a_folder_that_cannot_be_written_is_reported_with_the_command(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    target = Target.parse(str(blocker / "target"))
    with pytest.raises(PublishError) as error:
        publish(site(tmp_path / "site", index="1"), target, 3, now=at(0))
    message = str(error.value)
    assert message.startswith(f"On {blocker}/target: ") and "Not a directory" in message
    assert message.endswith(
        "Fix what it says (often who may write to that folder), then try again.\n"
        + NOTHING_PUBLISHED
    )
    for status in (3, 255):  # 255 is ssh's own failure, but only over ssh
        with pytest.raises(PublishError) as error:
            Target("", str(tmp_path)).run(f"exit {status}")
        assert str(error.value).startswith(f"On {tmp_path}: exit {status}\n")


@pytest.mark.parametrize(
    "address, host, root",
    [
        ("sam@web1:/srv/casebook", "sam@web1", "/srv/casebook"),
        ("web1:/srv/casebook", "web1", "/srv/casebook"),
        ("web1:casebook", "web1", "casebook"),
    ],
)
def test_a_host_and_folder_is_reached_with_ssh(address, host, root):
    target = Target.parse(address, ("-p", "2222"))
    assert target == Target(host, root, ("-p", "2222")) and str(target) == address
    assert target.ssh == [
        "ssh",
        "-p",
        "2222",
        "-o",
        "ConnectTimeout=10",
        "-o",
        "BatchMode=yes",
    ]  # the team's options first: ssh keeps the first value of each
    assert Target(host, root).ssh == ["ssh", *SSH_SAFETY]
    with pytest.raises(dataclasses.FrozenInstanceError):
        target.root = "/elsewhere"
    assert target.rsync_arguments("r1") == [
        "-e",
        f"ssh -p 2222 {' '.join(SSH_SAFETY)}",
        f"{host}:{root}/releases/r1/",
    ]


def test_a_path_is_a_folder_here_even_with_a_colon(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "odd:name").mkdir()
    assert Target.parse("odd:name") == Target("", str(tmp_path / "odd:name"))
    assert Target.parse("sub/dir:x") == Target("", str(tmp_path / "sub/dir:x"))
    assert Target.parse("site", ("-p", "2")) == Target("", str(tmp_path / "site"))
    local = Target.parse(str(tmp_path / "t"))
    assert str(local) == str(tmp_path / "t")
    assert local.rsync_arguments("r1") == [f"{tmp_path}/t/releases/r1/"]
    assert local.quoted("history") == f"{tmp_path}/t/history"
    assert Target("", "/a b").quoted("c") == "'/a b/c'"


def test_switching_is_one_rename_of_a_symlink():
    assert switch_script("20260301T093000Z") == (
        "ln -sfn releases/20260301T093000Z current.next && mv -T current.next current"
    )


def test_a_server_that_is_down_is_reported_with_how_to_log_in():
    target = Target.parse("sam@casebook-server:/srv/casebook", NOBODY)
    with pytest.raises(PublishError) as error:
        target.lived()
    message = str(error.value)
    assert message.startswith("Could not reach sam@casebook-server over ssh: ")
    assert "Connection refused" in message
    assert message.endswith(
        "Check the address and that the server is up. `ssh -p 1 -o HostName=127.0.0.1 "
        "sam@casebook-server` must log in without asking anything (no password, no question "
        "about the server's key): set the port or key with CASEBOOK_PUBLISH_SSH_OPTIONS in "
        "publishconf.py, or in ~/.ssh/config."
    )


def test_ready_target_logs_in_before_the_build(tmp_path):
    folder = ready_target(str(tmp_path / "t"), "https://casebook.acme.internal", ())
    assert folder == Target("", str(tmp_path / "t"))
    with pytest.raises(PublishError) as error:
        ready_target("sam@casebook-server:/srv", "https://casebook.acme.internal", NOBODY)
    assert str(error.value).startswith("Could not reach sam@casebook-server over ssh")
    assert str(error.value).endswith(f"\n{NOTHING_PUBLISHED}")


def test_everything_that_stops_a_publish_is_named_at_once(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no rsync on it
    with pytest.raises(PublishError) as error:
        ready_target(" ", "https://casebook.example.com/", ())
    assert str(error.value) == "\n".join(
        [
            "Casebook cannot publish yet:",
            "",
            f"  {target_problem('')}",
            f"  {site_url_problem('https://casebook.example.com/')}",
            f"  {rsync_problem()}",
            "",
            f"Fix each one, then publish again. {NOTHING_PUBLISHED}",
        ]
    )
    assert rsync_problem() == (
        "rsync is not installed, and publishing copies the site with it. Install it (Debian or "
        "Ubuntu: sudo apt-get install rsync; macOS: brew install rsync)."
    )
    with pytest.raises(PublishError, match="rsync is not installed") as error:
        ready_target(str(tmp_path), "https://casebook.acme.internal", ())
    assert "CASEBOOK_PUBLISH_TARGET" not in str(error.value) and "SITEURL" not in str(error.value)


def test_rsync_is_found_when_installed():
    assert rsync_problem() == ""


def test_an_empty_target_is_named_with_where_to_set_it():
    assert target_problem("web1:/srv") == ""
    assert target_problem("  ") == (
        "CASEBOOK_PUBLISH_TARGET is empty, so there is nowhere to publish to. Set it in "
        "publishconf.py (or in the environment) to a folder or user@host:/folder, or give one "
        "with --target."
    )
    with pytest.raises(PublishError) as error:
        rollback_target("", ())
    assert str(error.value) == f"{target_problem('')}\n{NOTHING_CHANGED}"
    assert rollback_target("web1:/srv", ("-p", "2")) == Target("web1", "/srv", ("-p", "2"))


@pytest.mark.parametrize(
    "url",
    [
        "",
        "/casebook",
        "https://example.com",
        "https://casebook.example.com/journal/",
        "https://EXAMPLE.org",
        "https://a.b.example.net",
        "http://casebook.example",
    ],
)
def test_an_example_or_missing_site_url_is_refused(url):
    assert site_url_problem(url) == (
        f'SITEURL is "{url}", not the address readers use. Set SITEURL in publishconf.py (or '
        "CASEBOOK_SITEURL in the environment) to it, for example "
        "https://casebook.yourcompany.internal."
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://casebook.acme.internal",
        "https://notexample.com",
        "https://example.community",
        "https://example.com.acme.internal",
        "https://myexample.org/casebook/",
    ],
)
def test_a_real_site_url_is_accepted(url):
    assert site_url_problem(url) == ""
