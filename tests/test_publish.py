"""`invoke publish` and `invoke rollback` with real rsync: into a local folder, and as a team
publishes,
to user@host:/folder over ssh, served by a real OpenSSH server on 127.0.0.1."""

from __future__ import annotations

import datetime
import getpass
import os
import pty
import select
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BIN, html, run_invoke, snapshot
from pelican.plugins.casebook.tools.publishing import publish as publish_site
from pelican.plugins.casebook.tools.publishing import rollback as rollback_site
from pelican.plugins.casebook.tools.targets import Target
from test_tasks import free_port

IN_CI = os.environ.get("CI") == "true"
SSHD = Path("/usr/sbin/sshd")

pytestmark = pytest.mark.skipif(
    shutil.which("rsync") is None and not IN_CI,
    reason="rsync is not installed (apt-get install rsync)",
)


@pytest.fixture(autouse=True)
def site_url(monkeypatch):
    """The address readers use: publishing refuses the placeholder that publishconf.py starts
    with."""
    monkeypatch.setenv("CASEBOOK_SITEURL", "https://casebook.test")


def configure(project: Path, **settings) -> None:
    """Set publishconf.py settings as a team would: a line each, after the defaults they replace."""
    with (project / "publishconf.py").open("a") as settings_file:
        settings_file.writelines(f"{name} = {value!r}\n" for name, value in settings.items())


@dataclass(frozen=True)
class Destination:
    address: str  # what `--target` is given
    folder: Path  # the same folder, looked at directly: what readers get

    def releases(self) -> list[str]:
        return sorted(
            p.name for p in (self.folder / "releases").iterdir() if not p.name.startswith(".")
        )

    def live(self) -> str:
        return os.readlink(self.folder / "current").removeprefix("releases/")

    def publish(self, project: Path) -> subprocess.CompletedProcess:
        return run_invoke(project, "publish", "--target", self.address, timeout=300)

    def rollback(self, project: Path) -> subprocess.CompletedProcess:
        return run_invoke(project, "rollback", "--target", self.address)


@pytest.fixture(scope="session")
def ssh_config(tmp_path_factory) -> Path:
    """A real OpenSSH server on 127.0.0.1 (throwaway host and user keys), and an ssh config that
    reaches it
    as the host `casebook-server`, as a team's would."""
    if not SSHD.exists() and not IN_CI:
        pytest.skip(
            "openssh-server is not installed (apt-get install openssh-server openssh-client)"
        )
    folder = tmp_path_factory.mktemp("ssh")
    for key in ("host_key", "user_key"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", folder / key], check=True
        )
    port = free_port()
    (folder / "sshd_config").write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {folder}/host_key\n"
        f"AuthorizedKeysFile {folder}/user_key.pub\nPasswordAuthentication no\n"
        f"StrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\nPidFile {folder}/sshd.pid\n"
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(
            mode=0o755, exist_ok=True
        )  # sshd's privilege separation folder; boot makes it
    log = folder / "sshd.log"
    with log.open("w") as log_file:
        server = subprocess.Popen([SSHD, "-D", "-e", "-f", folder / "sshd_config"], stderr=log_file)
    deadline = time.monotonic() + 30
    while "Server listening" not in log.read_text():
        assert server.poll() is None and time.monotonic() < deadline, (
            f"sshd did not start:\n{log.read_text()}"
        )
        time.sleep(0.1)
    host_key = " ".join((folder / "host_key.pub").read_text().split()[:2])
    (folder / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key}\n")
    (folder / "ssh_config").write_text(
        f"Host casebook-server\n  HostName 127.0.0.1\n  Port {port}\n  IdentityFile "
        f"{folder}/user_key\n"
        f"  IdentitiesOnly yes\n  UserKnownHostsFile {folder}/known_hosts\n"
    )
    yield folder / "ssh_config"
    server.terminate()
    server.wait()


@pytest.fixture(params=["folder", "ssh"])
def destination(request, project, tmp_path) -> Destination:
    """A local folder, or the same one as user@host:/folder over ssh (port and key set in
    publishconf.py)."""
    folder = tmp_path / "target"
    if request.param == "folder":
        return Destination(str(folder), folder)
    configure(project, CASEBOOK_PUBLISH_SSH_OPTIONS=f"-F {request.getfixturevalue('ssh_config')}")
    return Destination(f"{getpass.getuser()}@casebook-server:{folder}", folder)


@pytest.fixture
def local(tmp_path) -> Destination:
    return Destination(str(tmp_path / "target"), tmp_path / "target")


def test_publish_makes_a_checked_release_and_points_current_at_it(project, local):
    result = local.publish(project)
    assert result.returncode == 0, result.stdout + result.stderr
    [release] = local.releases()
    assert local.live() == release
    assert f"Published release {release} (the first release on {local.folder}, " in result.stdout
    assert "changed since" not in result.stdout
    site = local.folder / "current"
    stylesheet = html(site / "index.html").select_one('link[rel="stylesheet"]')["href"]
    assert stylesheet.startswith("https://casebook.test/")
    assert (site / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert (
        html(site / "index.html")
        .find("meta", attrs={"name": "robots"})["content"]
        .startswith("noindex")
    )
    assert not (site / "drafts").exists()
    assert not any(
        "zebracorn" in p.read_text(errors="ignore")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".json")
    )


def test_second_publish_switches_and_rollback_goes_back(project, destination):
    assert destination.publish(project).returncode == 0
    first = destination.live()
    first_files = snapshot(destination.folder / "releases" / first)
    entry = project / "content/entries/2025/2025-02-11-silence-on-the-line.md"
    entry.write_text(
        entry.read_text().replace("Title: Silence on the line", "Title: Quiet on the line")
    )
    second_run = destination.publish(project)
    assert second_run.returncode == 0, second_run.stdout + second_run.stderr
    second = destination.live()
    assert destination.releases() == [first, second] and second != first
    assert "Quiet on the line" in (destination.folder / "current/index.html").read_text()
    assert (
        snapshot(destination.folder / "releases" / first) == first_files
    )  # the old release is whole
    assert f"files changed since {first}" in second_run.stdout

    drafts = [
        p
        for p in (destination.folder / "releases").rglob("*")
        if "drafts" in p.parts or p.name.startswith("unfinished")
    ]
    assert drafts == []

    rolled = destination.rollback(project)
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert f"Rolled back from {second} to {first}" in rolled.stdout
    assert destination.live() == first
    assert "Silence on the line" in (destination.folder / "current/index.html").read_text()


def test_rollback_goes_back_to_the_release_live_before_the_current_one(project, local):
    """R1, R2, back to R1, then R3: from R3, rollback goes to R1 (live before R3), never to R2."""
    configure(project, CASEBOOK_PUBLISH_KEEP=2)
    assert local.publish(project).returncode == 0
    first = local.live()
    assert local.publish(project).returncode == 0
    second = local.live()
    assert f"Rolled back from {second} to {first}" in local.rollback(project).stdout
    assert local.publish(project).returncode == 0
    third = local.live()
    assert local.releases() == [
        first,
        third,
    ]  # the two that rollback can reach; nothing goes back to R2

    rolled = local.rollback(project)
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert f"Rolled back from {third} to {first}" in rolled.stdout and local.live() == first

    again = local.rollback(project)
    assert again.returncode == 1 and local.live() == first
    assert (
        f"no release was live before {first}" in again.stderr
        and "Nothing was changed" in again.stderr
    )


def test_rollback_of_a_target_that_does_not_exist_creates_nothing(project, tmp_path):
    nowhere = tmp_path / "nowhere"
    result = run_invoke(project, "rollback", "--target", str(nowhere))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"Nothing is published at {nowhere}" in result.stderr
    assert not nowhere.exists()


def test_a_check_error_blocks_publishing_and_leaves_the_target_alone(project, local):
    assert local.publish(project).returncode == 0
    before = (local.live(), snapshot(local.folder / "releases"))
    entry = project / "content/entries/2025/2025-02-11-silence-on-the-line.md"
    entry.write_text(entry.read_text() + "\nHer mobile is 07700 900123.\n")
    result = local.publish(project)
    assert result.returncode == 1
    assert "phone number" in result.stdout and "Nothing was published" in result.stderr
    assert (local.live(), snapshot(local.folder / "releases")) == before


def test_a_publish_killed_mid_transfer_leaves_the_live_site_whole(project, destination):
    (project / "content/images").mkdir()
    (project / "content/images/recording.bin").write_bytes(os.urandom(3_000_000))
    assert destination.publish(project).returncode == 0
    first = destination.live()
    first_files = snapshot(destination.folder / "releases" / first)

    (project / "content/images/recording.bin").write_bytes(
        os.urandom(3_000_000)
    )  # a slow, changed file
    configure(project, CASEBOOK_PUBLISH_RSYNC_OPTIONS="--bwlimit=300")
    publishing = subprocess.Popen(
        [BIN / "invoke", "publish", "--target", destination.address],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while (
        not list((destination.folder / "releases").glob(".partial-*/*"))
        and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    time.sleep(1)  # well into the transfer of the large file
    assert publishing.poll() is None, "the publish ended before it could be interrupted"
    os.killpg(publishing.pid, signal.SIGKILL)
    publishing.wait()

    assert destination.live() == first
    assert snapshot(destination.folder / "current") == first_files
    assert destination.releases() == [first]
    assert list(
        (destination.folder / "releases").glob(".partial-*")
    )  # what the stopped publish left
    rolled = destination.rollback(project)  # never to the half-copied release
    assert rolled.returncode == 1 and destination.live() == first

    configure(project, CASEBOOK_PUBLISH_RSYNC_OPTIONS="")
    again = destination.publish(project)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (
        not list((destination.folder / "releases").glob(".partial-*"))
        and destination.live() != first
    )


def test_a_server_that_never_answers_fails_in_seconds_saying_what_to_do(project):
    # The kernel completes connections to a listening socket that nobody accepts: ssh is connected
    # and
    # hears nothing, as from a hung server. (An address that never answers would send traffic away.)
    with socket.create_server(("127.0.0.1", 0)) as silent:
        configure(project, CASEBOOK_PUBLISH_SSH_OPTIONS=f"-p {silent.getsockname()[1]}")
        result = run_invoke(
            project, "publish", "--target", "casebook@127.0.0.1:/srv/casebook", timeout=60
        )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "Could not reach casebook@127.0.0.1 over ssh" in result.stderr
        and "timed out" in result.stderr
    )
    assert (
        "CASEBOOK_PUBLISH_SSH_OPTIONS" in result.stderr and "Nothing was published" in result.stderr
    )
    assert "No errors." not in result.stdout  # it stopped before building


def in_a_terminal(project: Path, *arguments: str, timeout: float = 60) -> tuple[int, str]:
    """Run invoke as a user does, in a terminal (where ssh would ask its questions); its exit and
    output."""
    pid, terminal = pty.fork()
    if pid == 0:
        os.chdir(project)
        os.execv(BIN / "invoke", ["invoke", *arguments])
    output, deadline = b"", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if select.select([terminal], [], [], 1)[0]:
                output += os.read(terminal, 4096)
        os.kill(pid, signal.SIGKILL)  # still running, or waiting for an answer
    except OSError:
        pass  # the command has ended: its terminal is closed
    finally:
        os.close(terminal)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), output.decode()


def test_a_server_with_an_unknown_key_is_refused_without_a_question(project, tmp_path, ssh_config):
    unknown = tmp_path / "ssh_config"  # no known_hosts: the server's key is new
    unknown.write_text(
        ssh_config.read_text().replace(str(ssh_config.parent / "known_hosts"), "/dev/null")
    )
    configure(project, CASEBOOK_PUBLISH_SSH_OPTIONS=f"-F {unknown}")
    address = f"{getpass.getuser()}@casebook-server:{tmp_path / 'target'}"
    code, output = in_a_terminal(project, "publish", "--target", address)
    assert code == 1, output
    assert "Host key verification failed" in output and "without asking" in output
    assert not (tmp_path / "target").exists()


def test_publishing_names_everything_missing_before_building(project, tmp_path, monkeypatch):
    """No rsync, no target, the placeholder address: all said at once, and nothing built or
    written."""
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    monkeypatch.setenv("CASEBOOK_PUBLISH_TARGET", "")
    monkeypatch.delenv("CASEBOOK_SITEURL")
    before = snapshot(project)
    result = run_invoke(project, "publish")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for expected in (
        "CASEBOOK_PUBLISH_TARGET is empty",
        "--target",
        'SITEURL is "https://casebook.intranet.example"',
        "CASEBOOK_SITEURL",
        "rsync is not installed",
        "apt-get install rsync",
        "Nothing was published",
    ):
        assert expected in result.stderr
    assert "No errors." not in result.stdout  # it stopped before building
    rolled = run_invoke(project, "rollback")
    assert rolled.returncode == 1 and "CASEBOOK_PUBLISH_TARGET is empty" in rolled.stderr
    assert snapshot(project) == before and not (project / "current").exists()


def tiny_site(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(text)
    return folder


def at(second: int) -> datetime.datetime:
    return datetime.datetime(2026, 3, 1, 9, 30, second, tzinfo=datetime.UTC)


def test_two_publishes_in_the_same_second_are_two_releases(tmp_path, local):
    target = Target.parse(local.address)
    first = publish_site(tiny_site(tmp_path / "site", "first"), target, keep=5, now=at(0))
    second = publish_site(tiny_site(tmp_path / "site", "second"), target, keep=5, now=at(0))
    assert (first.release, second.release) == ("20260301T093000Z", "20260301T093000Z-2")
    assert (
        local.live() == second.release
        and (local.folder / "current/index.html").read_text() == "second"
    )
    assert (local.folder / "releases" / first.release / "index.html").read_text() == "first"
    assert rollback_site(target) == (second.release, first.release)


def test_rollback_follows_what_was_live_not_the_clocks_that_named_the_releases(tmp_path, local):
    """Two people publish, the second with a clock behind the first's: rollback goes to the
    first's."""
    target = Target.parse(local.address)
    ahead = publish_site(tiny_site(tmp_path / "site", "ahead"), target, keep=5, now=at(30))
    behind = publish_site(tiny_site(tmp_path / "site", "behind"), target, keep=5, now=at(10))
    assert behind.release < ahead.release and local.live() == behind.release
    assert rollback_site(target) == (behind.release, ahead.release)
    assert (local.folder / "current/index.html").read_text() == "ahead"


def test_publishing_removes_every_release_that_rollback_can_no_longer_reach(tmp_path, local):
    target = Target.parse(local.address)
    names = [
        publish_site(
            tiny_site(tmp_path / "site", str(second)), target, keep=5, now=at(second)
        ).release
        for second in range(3)
    ]
    last = publish_site(tiny_site(tmp_path / "site", "last"), target, keep=1, now=at(3))
    assert last.removed == names and local.releases() == [last.release] == [local.live()]


def test_a_target_published_before_the_history_was_kept_rolls_back_by_release_name(tmp_path, local):
    target = Target.parse(local.address)
    names = [
        publish_site(
            tiny_site(tmp_path / "site", str(second)), target, keep=5, now=at(second)
        ).release
        for second in range(3)
    ]
    (local.folder / "history").unlink()
    assert rollback_site(target) == (names[2], names[1])
    assert rollback_site(target) == (names[1], names[0])
