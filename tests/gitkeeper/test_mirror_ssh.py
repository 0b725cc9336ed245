"""Pushing over SSH to a real OpenSSH server started by the test: with the deploy key and the
pinned host key the remote gets the commit; a host key that does not match the pin is refused,
and the status says so; a server that never answers is given up after the push timeout."""

import asyncio
import time
from pathlib import Path

import pytest
from faststream.nats import NatsBroker
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.git_cli import GitCli
from netraven_gitkeeper.mirror_push import MirrorGit, MirrorPushError
from netraven_gitkeeper.mirror_settings import Mirror

from tests.fixtures.ssh_server import SshServer
from tests.gitkeeper.mirrors import (
    bare_repository,
    commit_config,
    eventually,
    running,
    status_of,
    tip_of,
    unique_name,
)


def ssh_mirror(server: SshServer, remote: Path, known_hosts: Path) -> Mirror:
    return Mirror(
        name=unique_name(),
        url=server.url(remote),
        ssh_key_file=server.deploy_key,
        known_hosts_file=known_hosts,
    )


def silent_mirror(port: int, folder: Path) -> Mirror:
    """A mirror on a port that accepts connections and never answers."""
    known_hosts, key = folder / "known_hosts", folder / "key"
    known_hosts.write_text("")
    key.write_text("")
    key.chmod(0o600)
    return Mirror(
        name=unique_name(),
        url=f"ssh://git@127.0.0.1:{port}/configs.git",
        ssh_key_file=key,
        known_hosts_file=known_hosts,
    )


def ssh_to(port: int) -> list[str]:
    """Command lines of the ssh processes running to this port."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        if words[0] == b"ssh" and str(port).encode() in words:
            found.append(b" ".join(words).decode())
    return found


class TestSshMirror:
    async def test_the_remote_gets_the_commit_over_ssh(
        self, broker: NatsBroker, repo: ConfigRepository, ssh_server: SshServer, tmp_path: Path
    ) -> None:
        commit = commit_config(repo, "hostname r1\n")
        remote = bare_repository(tmp_path / "remote.git")
        mirror = ssh_mirror(ssh_server, remote, ssh_server.known_hosts)
        async with running(broker, mirror, repo):
            status = await eventually(
                lambda: status_of(broker, mirror.name),
                lambda s: s is not None and s.state != "pending",
            )
        assert status is not None and status.state == "ok", status
        assert tip_of(remote) == commit

    async def test_a_host_key_other_than_the_pinned_one_is_refused(
        self, repo: ConfigRepository, ssh_server: SshServer, tmp_path: Path
    ) -> None:
        commit = commit_config(repo, "hostname r1\n")
        remote = bare_repository(tmp_path / "remote.git")
        mirror = ssh_mirror(ssh_server, remote, ssh_server.wrong_known_hosts)
        with pytest.raises(MirrorPushError, match="Host key verification failed"):
            await MirrorGit(GitCli(repo.root), mirror, timeout_seconds=30).push(commit)
        assert tip_of(remote) is None

    async def test_a_key_the_server_does_not_authorize_is_refused(
        self, repo: ConfigRepository, ssh_server: SshServer, tmp_path: Path
    ) -> None:
        commit = commit_config(repo, "hostname r1\n")
        remote = bare_repository(tmp_path / "remote.git")
        other_key = tmp_path / "other_key"
        other_key.write_bytes((ssh_server.deploy_key.parent / "other_host_key").read_bytes())
        other_key.chmod(0o600)
        mirror = Mirror(
            name=unique_name(),
            url=ssh_server.url(remote),
            ssh_key_file=other_key,
            known_hosts_file=ssh_server.known_hosts,
        )
        with pytest.raises(MirrorPushError, match="Permission denied"):
            await MirrorGit(GitCli(repo.root), mirror, timeout_seconds=30).push(commit)
        assert tip_of(remote) is None

    async def test_a_server_that_never_answers_is_given_up_after_the_timeout(
        self, broker: NatsBroker, repo: ConfigRepository, silent_port: int, tmp_path: Path
    ) -> None:
        commit_config(repo, "hostname r1\n")
        mirror = silent_mirror(silent_port, tmp_path)
        async with running(broker, mirror, repo, push_timeout=1):
            status = await eventually(
                lambda: status_of(broker, mirror.name),
                lambda s: s is not None and s.state == "failing",
            )
        assert status is not None and status.last_error == "no answer within 1 s"

    async def test_stopping_kills_a_push_in_flight(
        self, broker: NatsBroker, repo: ConfigRepository, silent_port: int, tmp_path: Path
    ) -> None:
        commit_config(repo, "hostname r1\n")
        async with running(broker, silent_mirror(silent_port, tmp_path), repo, push_timeout=60):
            await asyncio.sleep(0.5)
            assert ssh_to(silent_port), "ssh waits for the server's banner"
            started = time.monotonic()
        assert time.monotonic() - started < 5, "a hung push held up the stop"
        assert not ssh_to(silent_port), "the push's ssh outlived the stop"
