"""Gitkeeper believes the database and the text, never the event: a poisoned batch stores its valid
backups, refuses the rest with a reason before anything reaches git, and no forged field reaches git
or the index."""

import subprocess
from uuid import UUID, uuid4

from httpx import AsyncClient
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.planner import Backup, Fate
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.db.models import ConfigVersion
from sqlalchemy import select

from tests.fixtures.factories import create_device, create_job, create_run
from tests.gitkeeper.backups import commit_count, inline_backup


def forged(backup: Backup, **fields) -> Backup:
    """The backup with event fields a validating consumer would have refused, as if they had slipped
    through."""
    return Backup(backup.event.model_copy(update=fields), backup.text)


def fetched_from_object_store(backup: Backup, text: str) -> Backup:
    """The backup as if its text had come from the object store: the event carries only the object's
    name."""
    event = backup.event.model_copy(
        update={"config_text": None, "config_object": backup.event.sha256}
    )
    return Backup(event, text)


def files_at_head(repo: ConfigRepository) -> set[str]:
    listed = subprocess.run(
        ["git", "ls-tree", "-z", "--name-only", "HEAD"],
        cwd=repo.root,
        capture_output=True,
        check=True,
    )
    return {name.decode() for name in listed.stdout.split(b"\0") if name}


async def versions_of(sessions, device_id: str) -> list[ConfigVersion]:
    async with sessions() as session:
        return list(
            await session.scalars(
                select(ConfigVersion).where(ConfigVersion.device_id == UUID(device_id))
            )
        )


class TestAPoisonedBatch:
    async def test_stores_the_valid_backups_as_the_database_names_them_and_refuses_the_rest(
        self,
        admin: AsyncClient,
        writer: ConfigWriter,
        repo: ConfigRepository,
        sessions,
    ) -> None:
        valid, long_name, newline_name, oversized, nul, wrong_run, checked = [
            await create_device(admin, 3000 + n, "gk-trust") for n in range(7)
        ]
        job = await create_job(admin, [valid["id"]])
        run_of_valid = await create_run(sessions, [valid["id"]], job_id=job["id"])
        reachability_run = await create_run(sessions, [checked["id"]], kind="reachability")
        ghost = {"id": str(uuid4()), "hostname": "not-in-the-inventory"}
        batch = [
            await inline_backup(sessions, valid, "hostname valid\nend\n", run_id=run_of_valid),
            forged(
                await inline_backup(sessions, long_name, "hostname long\nend\n"),
                hostname="h" * 1000,
                device_type="x" * 300,
            ),
            forged(
                await inline_backup(sessions, newline_name, "hostname nl\nend\n"),
                hostname="evil\nConfig: forged",
            ),
            forged(
                await inline_backup(sessions, oversized, "hostname big\nend\n"),
                size_bytes=2**40,
                sha256="0" * 64,
            ),
            fetched_from_object_store(
                await inline_backup(sessions, nul, "hostname nul\nend\n"), "hostname nul\x00\nend\n"
            ),
            await inline_backup(sessions, ghost, "hostname ghost\nend\n", run_id=uuid4()),
            await inline_backup(sessions, wrong_run, "hostname wrong\nend\n", run_id=run_of_valid),
            await inline_backup(sessions, valid, "hostname valid\nunknown run\n", run_id=uuid4()),
            await inline_backup(
                sessions, checked, "hostname checked\nend\n", run_id=reachability_run
            ),
        ]

        stored, rejected = await writer.write(batch)

        assert {refusal.backup.event.device_id: refusal.reason for refusal in rejected} == {
            UUID(nul["id"]): f"the config of device {nul['id']} holds a NUL byte",
            UUID(ghost["id"]): f"device {ghost['id']} is not in the inventory",
            UUID(wrong_run["id"]): (
                f"run {run_of_valid} does not back up device {wrong_run['id']} "
                "(unknown run, or not one of its devices)"
            ),
            UUID(valid["id"]): (
                f"run {batch[7].event.run_id} does not back up device "
                f"{valid['id']} (unknown run, or not one of its devices)"
            ),
            UUID(checked["id"]): f"run {reachability_run} is a reachability run, not a backup",
        }
        assert [s.event.device_id for s in stored] == [
            UUID(d["id"]) for d in (valid, long_name, newline_name, oversized)
        ]
        assert {s.fate for s in stored} == {Fate.COMMITTED} and commit_count(repo) == 1
        assert files_at_head(repo) == {
            f"{d['hostname']}.cfg" for d in (valid, long_name, newline_name, oversized)
        }
        for device, result in zip((valid, long_name, newline_name, oversized), stored, strict=True):
            assert (result.event.hostname, result.event.device_type) == (
                device["hostname"],
                device["device_type"],
            )
            [version] = await versions_of(sessions, device["id"])
            assert (version.path, version.size_bytes, version.sha256) == (
                f"{device['hostname']}.cfg",
                len(result.event.config_text.encode()),
                result.event.sha256,
            )
        assert stored[0].event.job_id == UUID(job["id"]) and stored[3].event.size_bytes == len(
            b"hostname big\nend\n"
        )
        assert [await versions_of(sessions, d["id"]) for d in (nul, ghost, wrong_run, checked)] == [
            [],
            [],
            [],
            [],
        ]

    async def test_a_batch_written_whole_or_nothing_writes_nothing_when_one_is_refused(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        known, outsider = (
            await create_device(admin, 3012, "gk-trust"),
            await create_device(admin, 3013, "gk-trust"),
        )
        valid = await inline_backup(sessions, known, "hostname known\nend\n")
        forged_run = await inline_backup(
            sessions, outsider, "hostname outsider\nend\n", run_id=valid.event.run_id
        )
        stored, [(refused, reason)] = await writer.write([valid, forged_run], whole_or_nothing=True)
        assert (
            stored == []
            and refused is forged_run
            and reason.startswith(
                f"run {valid.event.run_id} does not back up device {outsider['id']}"
            )
        )
        assert repo.head() is None
        stored, rejected = await writer.write([valid], whole_or_nothing=True)
        assert rejected == [] and [s.event.device_id for s in stored] == [valid.event.device_id]

    async def test_a_batch_refused_whole_writes_nothing(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 3010, "gk-trust")
        stored, rejected = await writer.write(
            [await inline_backup(sessions, device, "hostname a\nend\n", run_id=uuid4())]
        )
        assert stored == [] and len(rejected) == 1 and repo.head() is None

    async def test_a_device_deleted_before_its_backup_is_stored_is_refused(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 3011, "gk-trust")
        backup = await inline_backup(sessions, device, "hostname gone\nend\n")
        assert (await admin.delete(f"/api/devices/{device['id']}")).status_code == 204
        stored, [(refused, reason)] = await writer.write([backup])
        assert (
            stored == []
            and refused is backup
            and reason == f"device {device['id']} is not in the inventory"
        )
        assert repo.head() is None
