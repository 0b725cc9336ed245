"""Gitkeeper's pusher against a bare repository over file://, with real git and the real NATS:
each commit reaches the remote; a remote that is missing shows as failing with its error and the
commits waiting, is announced once, and recovers when it returns."""

import asyncio
import time
from pathlib import Path
from typing import TypeVar

from faststream.nats import NatsBroker
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.config_repo_lock import mirror_push_lock, repository_lock
from netraven_gitkeeper.mirror_settings import Mirror
from prometheus_client import REGISTRY

from tests.fixtures.infra import Infra
from tests.gitkeeper.mirrors import (
    bare_repository,
    commit_config,
    eventually,
    heard_about,
    running,
    status_of,
    tip_of,
    unique_name,
)

T = TypeVar("T")


async def remote_tip(remote: Path) -> str | None:
    return tip_of(remote)


class TestPushesEachBatch:
    async def test_the_remote_gets_each_new_commit(
        self, broker: NatsBroker, repo: ConfigRepository, tmp_path: Path
    ) -> None:
        first = commit_config(repo, "hostname r1\n")
        remote = bare_repository(tmp_path / "remote.git")
        mirror = Mirror(name=unique_name(), url=f"file://{remote}")
        async with running(broker, mirror, repo) as pusher:
            await eventually(lambda: remote_tip(remote), lambda tip: tip == first)
            second = commit_config(repo, "hostname r1\nvlan 2\n")
            pusher.signal()
            await eventually(lambda: remote_tip(remote), lambda tip: tip == second)
            status = await eventually(
                lambda: status_of(broker, mirror.name),
                lambda s: s is not None and s.last_pushed_commit == second,
            )
        assert status is not None
        assert (status.state, status.commits_waiting, status.attempts) == ("ok", 0, 0)
        assert status.remote == f"file://{remote}" and status.last_success_at is not None

    async def test_a_push_to_another_branch_name(
        self, broker: NatsBroker, repo: ConfigRepository, tmp_path: Path
    ) -> None:
        commit = commit_config(repo, "hostname r1\n")
        remote = bare_repository(tmp_path / "remote.git")
        mirror = Mirror(name=unique_name(), url=f"file://{remote}", branch="netraven/backups")
        async with running(broker, mirror, repo):
            await eventually(
                lambda: asyncio.to_thread(tip_of, remote, "netraven/backups"),
                lambda tip: tip == commit,
            )


class TestUnreachableRemote:
    async def test_failing_then_recovered_with_events_and_log_lines(
        self, broker: NatsBroker, infra: Infra, repo: ConfigRepository, tmp_path: Path
    ) -> None:
        commit_config(repo, "hostname r1\n")
        remote = tmp_path / "not-yet.git"
        mirror = Mirror(name=unique_name(), url=f"file://{remote}")
        async with (
            heard_about(infra, mirror.name) as heard,
            running(broker, mirror, repo) as pusher,
        ):
            failing = await eventually(
                lambda: status_of(broker, mirror.name),
                lambda s: s is not None and s.state == "failing" and s.attempts >= 3,
            )
            assert failing is not None and failing.last_error is not None
            assert "does not appear to be a git repository" in failing.last_error
            assert failing.commits_waiting == 1 and failing.failing_since is not None
            labels = {"mirror": mirror.name}
            assert REGISTRY.get_sample_value("netraven_mirror_failing", labels) == 1
            failures = REGISTRY.get_sample_value("netraven_mirror_push_failures_total", labels)
            assert failures is not None and failures >= 3

            started = time.monotonic()
            newest = commit_config(repo, "hostname r1\nvlan 9\n")
            pusher.signal()
            assert time.monotonic() - started < 2, "a commit waited for the failing mirror"
            await eventually(
                lambda: status_of(broker, mirror.name),
                lambda s: s is not None and s.commits_waiting == 2,
            )

            bare_repository(remote)
            await eventually(lambda: remote_tip(remote), lambda tip: tip == newest)
            recovered = await eventually(
                lambda: status_of(broker, mirror.name),
                lambda s: s is not None and s.state == "ok",
            )
            await eventually(lambda: _now(heard.recovered), bool)
        assert recovered is not None
        assert (recovered.commits_waiting, recovered.last_error, recovered.failing_since) == (
            0,
            None,
            None,
        )
        assert REGISTRY.get_sample_value("netraven_mirror_failing", labels) == 0
        assert len(heard.failed) == 1, "one event per streak while the error stays the same"
        assert heard.failed[0].error == failing.last_error
        assert heard.recovered[0].commit == newest
        assert heard.recovered[0].failing_since == failing.failing_since
        assert [line.level for line in heard.lines] == ["warning", "info"]

    async def test_commits_go_on_while_a_push_hangs(
        self, broker: NatsBroker, repo: ConfigRepository, tmp_path: Path
    ) -> None:
        """The pusher holds its own lock, never the repository's: a batch commits meanwhile."""
        commit_config(repo, "hostname r1\n")
        remote = bare_repository(tmp_path / "remote.git")
        mirror = Mirror(name=unique_name(), url=f"file://{remote}")
        async with mirror_push_lock(repo.root, mirror.name), running(broker, mirror, repo):
            await asyncio.sleep(0.3)  # the pusher now waits for the push lock
            started = time.monotonic()
            async with repository_lock(repo.root):
                newest = await asyncio.to_thread(commit_config, repo, "hostname r1\nvlan 3\n")
            assert time.monotonic() - started < 2
            assert tip_of(remote) is None
        async with running(broker, mirror, repo):
            await eventually(lambda: remote_tip(remote), lambda tip: tip == newest)


async def _now(value: T) -> T:
    return value
