"""Many backups in one batch: one commit, yet every device keeps its own history and diff."""

from uuid import UUID

from httpx import AsyncClient
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.planner import Fate
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.db.models import ConfigVersion
from prometheus_client import REGISTRY
from sqlalchemy import select

from tests.fixtures.factories import create_device
from tests.gitkeeper.backups import commit_count, inline_backup, store


def config(hostname: str, ntp: str) -> str:
    return f"hostname {hostname}\n!\nntp server {ntp}\n!\nend\n"


def commit_metrics() -> tuple[float, float]:
    """Commits counted, and the configs their batches held in all."""
    return (
        REGISTRY.get_sample_value("netraven_git_commits_total") or 0,
        REGISTRY.get_sample_value("netraven_git_commit_batch_size_sum") or 0,
    )


async def versions_of(sessions, device: dict) -> list[ConfigVersion]:
    async with sessions() as session:
        return list(
            await session.scalars(
                select(ConfigVersion)
                .where(ConfigVersion.device_id == UUID(device["id"]))
                .order_by(ConfigVersion.committed_at)
            )
        )


class TestOneCommitPerBatch:
    async def test_a_batch_of_devices_is_one_commit_with_one_version_each(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        devices = [await create_device(admin, 2700 + n, "gk-batch") for n in range(12)]
        commits, batches = commit_metrics()
        stored = await store(
            writer,
            [await inline_backup(sessions, d, config(d["hostname"], "10.0.0.1")) for d in devices],
        )
        assert commit_count(repo) == 1
        assert {s.fate for s in stored} == {Fate.COMMITTED} and len({s.commit for s in stored}) == 1
        assert commit_metrics() == (commits + 1, batches + 12)
        for device, result in zip(devices, stored, strict=True):
            [version] = await versions_of(sessions, device)
            assert (version.commit, version.changed_lines) == (result.commit, 5)
            assert result.old_commit is None and f"+hostname {device['hostname']}\n" in result.diff
            assert all(
                f"hostname {other['hostname']}\n" not in result.diff
                for other in devices
                if other is not device
            )

    async def test_the_next_batch_diffs_each_device_against_its_own_previous_version(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        changing, steady = (
            await create_device(admin, 2720, "gk-batch"),
            await create_device(admin, 2721, "gk-batch"),
        )
        [first, _] = await store(
            writer,
            [
                await inline_backup(sessions, d, config(d["hostname"], "10.0.0.1"))
                for d in (changing, steady)
            ],
        )
        changed, same = await store(
            writer,
            [
                await inline_backup(sessions, changing, config(changing["hostname"], "10.0.0.2")),
                await inline_backup(sessions, steady, config(steady["hostname"], "10.0.0.1")),
            ],
        )
        assert (changed.fate, same.fate) == (Fate.COMMITTED, Fate.UNCHANGED) and commit_count(
            repo
        ) == 2
        assert changed.old_commit == first.commit and changed.changed_lines == 2
        assert "-ntp server 10.0.0.1\n+ntp server 10.0.0.2\n" in changed.diff
        assert same.commit == first.commit and len(await versions_of(sessions, steady)) == 1

    async def test_a_batch_with_only_unchanged_configs_makes_no_commit(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2722, "gk-batch")
        await store(
            writer, [await inline_backup(sessions, device, config(device["hostname"], "10.0.0.1"))]
        )
        counted = commit_metrics()
        stored = await store(
            writer,
            [
                await inline_backup(sessions, device, config(device["hostname"], "10.0.0.1"))
                for _ in range(3)
            ],
        )
        assert {s.fate for s in stored} == {Fate.UNCHANGED} and commit_count(repo) == 1
        assert commit_metrics() == counted


class TestOneDeviceTwiceInABatch:
    async def test_two_different_versions_become_two_commits_in_order(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device, other = (
            await create_device(admin, 2730, "gk-batch"),
            await create_device(admin, 2731, "gk-batch"),
        )
        older, newer, beside = await store(
            writer,
            [
                await inline_backup(sessions, device, config(device["hostname"], "10.0.0.1")),
                await inline_backup(sessions, device, config(device["hostname"], "10.0.0.2")),
                await inline_backup(sessions, other, config(other["hostname"], "10.0.0.1")),
            ],
        )
        assert commit_count(repo) == 2 and beside.commit == older.commit != newer.commit
        assert newer.old_commit == older.commit
        assert [v.commit for v in await versions_of(sessions, device)] == [
            older.commit,
            newer.commit,
        ]

    async def test_the_same_backup_twice_in_a_batch_is_one_version(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2732, "gk-batch")
        backup = await inline_backup(sessions, device, config(device["hostname"], "10.0.0.1"))
        first, again = await store(writer, [backup, backup])
        assert (first.fate, again.fate) == (
            Fate.COMMITTED,
            Fate.UNCHANGED,
        ) and again.commit == first.commit
        assert commit_count(repo) == 1 and len(await versions_of(sessions, device)) == 1
