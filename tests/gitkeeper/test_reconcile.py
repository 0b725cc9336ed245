"""Restart safety: the version index and the repository are made to agree at start-up."""

import shutil
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from httpx import AsyncClient
from netraven_gitkeeper import config_repo as config_repo_module
from netraven_gitkeeper import writer as writer_module
from netraven_gitkeeper.commit_message import StoredFile, commit_message
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.git_cli import GitError
from netraven_gitkeeper.planner import Fate
from netraven_gitkeeper.reconcile import reconcile
from netraven_gitkeeper.repository import existing_devices, mark_missing
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.config_transport import sha256_of
from netraven_shared.db.models import ConfigVersion
from netraven_shared.events.base import utc_now
from sqlalchemy import select
from structlog.testing import capture_logs

from tests.fixtures.factories import create_device
from tests.gitkeeper.backups import commit_count, inline_backup, latest_version, store


def config(hostname: str, version: int) -> str:
    return f"hostname {hostname}\n!\nlogging host 10.0.0.{version}\n!\nend\n"


class CrashAfterCommit(RuntimeError):
    pass


async def fail_index_write(*_args) -> None:
    raise CrashAfterCommit("the process died between the git commit and the index write")


class TestCommitsMissingFromTheIndex:
    async def test_a_restart_indexes_them_and_the_redelivered_backup_is_a_no_op(
        self,
        admin: AsyncClient,
        writer: ConfigWriter,
        repo: ConfigRepository,
        sessions,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        device = await create_device(admin, 2800, "gk-reconcile")
        [first] = await store(
            writer, [await inline_backup(sessions, device, config(device["hostname"], 1))]
        )
        second = await inline_backup(sessions, device, config(device["hostname"], 2))
        monkeypatch.setattr(writer_module, "record_versions", fail_index_write)
        with pytest.raises(CrashAfterCommit):
            await store(writer, [second])
        monkeypatch.undo()
        assert commit_count(repo) == 2
        async with sessions() as session:
            assert (await latest_version(session, UUID(device["id"]))).commit == first.commit

        restarted = ConfigRepository(repo.root)
        result = await reconcile(restarted, sessions)
        assert result.indexed_versions == 1
        async with sessions() as session:
            version = await latest_version(session, UUID(device["id"]))
        assert (version.sha256, version.changed_lines, version.run_id) == (
            second.event.sha256,
            2,
            second.event.run_id,
        )

        [redelivered] = await store(ConfigWriter(restarted, sessions), [second])
        assert redelivered.fate is Fate.REDELIVERED and redelivered.commit == version.commit
        assert (
            redelivered.old_commit == first.commit
            and "+logging host 10.0.0.2\n" in redelivered.diff
        )
        assert commit_count(repo) == 2

    async def test_a_running_writer_repairs_the_index_before_its_next_batch(
        self,
        admin: AsyncClient,
        writer: ConfigWriter,
        repo: ConfigRepository,
        monkeypatch: pytest.MonkeyPatch,
        sessions,
    ) -> None:
        device = await create_device(admin, 2801, "gk-reconcile")
        backup = await inline_backup(sessions, device, config(device["hostname"], 1))
        monkeypatch.setattr(writer_module, "record_versions", fail_index_write)
        with pytest.raises(CrashAfterCommit):
            await store(writer, [backup])
        monkeypatch.undo()
        [again] = await store(writer, [backup])
        assert again.fate is Fate.REDELIVERED and commit_count(repo) == 1

    async def test_a_commit_cut_off_midway_leaves_no_trace_and_the_retry_commits(
        self,
        admin: AsyncClient,
        writer: ConfigWriter,
        repo: ConfigRepository,
        monkeypatch: pytest.MonkeyPatch,
        sessions,
    ) -> None:
        device = await create_device(admin, 2802, "gk-reconcile")
        [first] = await store(
            writer, [await inline_backup(sessions, device, config(device["hostname"], 1))]
        )
        whole_stream = config_repo_module._fast_import_commit
        monkeypatch.setattr(
            config_repo_module, "_fast_import_commit", lambda *args: whole_stream(*args)[:-40]
        )
        second = await inline_backup(sessions, device, config(device["hostname"], 2))
        with pytest.raises(GitError):
            await store(writer, [second])
        assert repo.head() == first.commit and repo.read(
            first.commit, f"{device['hostname']}.cfg"
        ) == config(device["hostname"], 1)
        monkeypatch.undo()
        [again] = await store(writer, [second])
        assert (
            again.fate is Fate.COMMITTED
            and again.old_commit == first.commit
            and commit_count(repo) == 2
        )


async def flags_of(sessions, device: dict) -> dict[str, bool]:
    async with sessions() as session:
        rows = await session.execute(
            select(ConfigVersion.commit, ConfigVersion.missing_from_repo).where(
                ConfigVersion.device_id == UUID(device["id"])
            )
        )
    return dict(rows.all())


def restore(backup: Path, repo: ConfigRepository) -> None:
    shutil.rmtree(repo.root)
    shutil.copytree(backup, repo.root)


class TestIndexRowsMissingFromGit:
    async def test_a_restored_older_repository_hides_the_lost_versions_until_they_return(
        self,
        admin: AsyncClient,
        writer: ConfigWriter,
        repo: ConfigRepository,
        sessions,
        tmp_path: Path,
    ) -> None:
        device = await create_device(admin, 2803, "gk-reconcile")
        [old] = await store(
            writer, [await inline_backup(sessions, device, config(device["hostname"], 1))]
        )
        shutil.copytree(repo.root, tmp_path / "nightly-backup")
        [lost] = await store(
            writer, [await inline_backup(sessions, device, config(device["hostname"], 2))]
        )
        shutil.copytree(repo.root, tmp_path / "newest")

        restore(tmp_path / "nightly-backup", repo)
        with capture_logs() as logs:
            result = await reconcile(repo, sessions)
        # the test database also indexes other tests' repositories: count only this device's rows
        assert result.missing_commits >= 1 and result.marked_rows >= 1
        [warning] = [e for e in logs if e["event"] == "config_versions.missing_from_repo"]
        assert warning["log_level"] == "warning" and "older backup" in warning["hint"]
        assert await flags_of(sessions, device) == {old.commit: False, lost.commit: True}
        async with sessions() as session:
            assert (await latest_version(session, UUID(device["id"]))).commit == old.commit

        restore(tmp_path / "newest", repo)
        result = await reconcile(repo, sessions)
        assert result.restored_rows >= 1 and await flags_of(sessions, device) == {
            old.commit: False,
            lost.commit: False,
        }
        async with sessions() as session:
            assert (await latest_version(session, UUID(device["id"]))).commit == lost.commit


def stored_file(device: dict, text: str, **overrides) -> StoredFile:
    fields = {
        "device_id": UUID(device["id"]),
        "hostname": device["hostname"],
        "run_id": None,
        "sha256": sha256_of(text),
        "size_bytes": len(text.encode()),
        "stored_at": utc_now(),
        "path": f"{device['hostname']}.cfg",
    }
    return StoredFile(**fields | overrides)


class TestCommitsTheIndexCannotHold:
    async def test_are_skipped_with_their_reasons_and_the_rest_is_indexed(
        self, admin: AsyncClient, repo: ConfigRepository, sessions
    ) -> None:
        fine, oversized, long_path, not_a_digest = [
            await create_device(admin, 2810 + n, "gk-reconcile") for n in range(4)
        ]
        files = [
            stored_file(fine, "hostname fine\n"),
            stored_file(oversized, "hostname big\n", size_bytes=2**40),
            stored_file(long_path, "hostname long\n", path="p" * 301),
            stored_file(not_a_digest, "hostname digest\n", sha256="not-hex"),
        ]
        message = commit_message(files) + "Config: not-a-device run=- sha256=x\n"
        commit = repo.commit(
            {file.path: f"hostname {n}\n" for n, file in enumerate(files)}, message
        ).commit

        with capture_logs() as logs:
            result = await reconcile(repo, sessions)

        assert {
            (skip.device_id, skip.reason) for skip in result.skipped if skip.commit == commit
        } == {
            (None, "1 of its 5 'Config:' lines do not parse"),
            (UUID(oversized["id"]), f"size {2**40} does not fit the index"),
            (
                UUID(long_path["id"]),
                "refused by PostgreSQL: value too long for type character varying(300)",
            ),
            (UUID(not_a_digest["id"]), "sha256 'not-hex' is not a SHA-256 digest"),
        }
        assert (
            len(
                [
                    e
                    for e in logs
                    if e["event"] == "config_versions.not_indexed" and e["commit"] == commit
                ]
            )
            == 4
        )
        async with sessions() as session:
            assert (await latest_version(session, UUID(fine["id"]))).commit == commit
            for device in (oversized, long_path, not_a_digest):
                assert await latest_version(session, UUID(device["id"])) is None


class TestAWholeRepositoryAtStartUp:
    async def test_names_more_devices_and_commits_than_a_statement_has_parameters(
        self, admin: AsyncClient, sessions
    ) -> None:
        device = await create_device(admin, 2820, "gk-reconcile")
        async with sessions() as session:
            assert await existing_devices(
                session, [uuid4() for _ in range(40_000)] + [UUID(device["id"])]
            ) == {UUID(device["id"])}
            await mark_missing(session, {f"{n:040x}" for n in range(40_000)})
            await session.rollback()
