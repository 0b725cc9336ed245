"""A run's status follows from its results, and the recorder believes the database, not the event:
an event naming a run, device, job or kind the database does not hold is refused and creates
nothing."""

from uuid import UUID, uuid4

import pytest
from httpx import AsyncClient
from netraven_api.runs.handlers import recording
from netraven_api.runs.progress import status_rule
from netraven_api.runs.recorder import record
from netraven_shared.db.models import Credential, Run, RunResult
from netraven_shared.events import (
    ConfigStored,
    DeviceBackedUp,
    DeviceBackupFailed,
    DeviceBackupStarted,
    DeviceReachabilityChecked,
)
from netraven_shared.rejection import Rejected
from sqlalchemy import Text, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import (
    create_credential,
    create_device,
    create_job,
    create_run,
    unique,
)


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([], "queued"),
        (["queued", "queued"], "queued"),
        (["running", "queued"], "running"),
        (["succeeded", "queued"], "running"),
        (["succeeded", "succeeded"], "succeeded"),
        (["failed", "failed"], "failed"),
        (["cancelled", "cancelled"], "cancelled"),
        (["succeeded", "failed"], "partial"),
        (["succeeded", "cancelled"], "partial"),
    ],
)
async def test_a_run_status_follows_from_its_results(
    results: list[str], expected: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    statuses = (
        func.unnest(bindparam("statuses", results, type_=ARRAY(Text())))
        .table_valued("status")
        .render_derived()
    )
    async with sessions() as session:
        assert await session.scalar(select(status_rule(statuses.c.status))) == expected


def started(run_id, device: dict, job_id=None, hostname: str | None = None) -> DeviceBackupStarted:
    return DeviceBackupStarted(
        run_id=run_id,
        job_id=job_id,
        device_id=device["id"],
        hostname=hostname or device["hostname"],
        worker_id="w1",
        attempt=1,
    )


def stored(run_id, device: dict) -> ConfigStored:
    return ConfigStored(
        run_id=run_id,
        device_id=device["id"],
        hostname=device["hostname"],
        commit="a" * 40,
        sha256="b" * 64,
        changed=True,
    )


def failed(run_id, device: dict) -> DeviceBackupFailed:
    return DeviceBackupFailed(
        run_id=run_id,
        device_id=device["id"],
        hostname=device["hostname"],
        error="timeout",
        attempts=1,
    )


def collected(run_id, device: dict, credential_id=None, refused=()) -> DeviceBackedUp:
    return DeviceBackedUp(
        run_id=run_id,
        device_id=device["id"],
        hostname=device["hostname"],
        device_type="cisco_ios",
        config_text="hostname x\n",
        sha256="c" * 64,
        size_bytes=11,
        collected_at="2026-12-05T10:00:00Z",
        credential_id=credential_id,
        refused_credential_ids=list(refused),
    )


def checked(run_id, device: dict) -> DeviceReachabilityChecked:
    return DeviceReachabilityChecked(
        run_id=run_id,
        device_id=device["id"],
        hostname=device["hostname"],
        reachable=True,
        latency_ms=1.0,
        port=22,
    )


EVENTS = {
    "started": started,
    "stored": stored,
    "failed": failed,
    "collected": collected,
    "reachability": checked,
}


async def recorded(sessions: async_sessionmaker[AsyncSession], event) -> None:
    async with sessions() as session:
        await record(session, [event])
        await session.commit()


async def counts(sessions: async_sessionmaker[AsyncSession], device: dict) -> tuple[int, int]:
    """(runs in the database, results of this device)."""
    async with sessions() as session:
        runs = await session.scalar(select(func.count()).select_from(Run))
        results = await session.scalar(
            select(func.count()).where(RunResult.device_id == UUID(device["id"]))
        )
    return runs, results


async def result_of(
    sessions: async_sessionmaker[AsyncSession], run_id: str, device: dict
) -> RunResult:
    async with sessions() as session:
        return await session.get(RunResult, (UUID(run_id), UUID(device["id"])))


@pytest.mark.parametrize("kind", list(EVENTS))
class TestAnEventForARunTheDatabaseLacks:
    async def test_is_refused_and_creates_no_run_and_no_result(
        self, kind: str, admin: AsyncClient, sessions
    ) -> None:
        device = await create_device(admin, 22, unique("trust"))
        event_of = EVENTS[kind]
        before = await counts(sessions, device)
        run_id = uuid4()
        with pytest.raises(Rejected, match=f"run {run_id} is not in the database"):
            await recorded(sessions, event_of(run_id, device))
        assert await counts(sessions, device) == (before[0], 0)


class TestAnEventTheRunDoesNotVouchFor:
    async def test_naming_a_device_outside_the_run_is_refused(
        self, admin: AsyncClient, sessions
    ) -> None:
        tag = unique("trust")
        member, outsider = await create_device(admin, 22, tag), await create_device(admin, 22, tag)
        run_id = await create_run(sessions, [member["id"]])
        for event_of in (
            EVENTS["started"],
            EVENTS["stored"],
            EVENTS["failed"],
            EVENTS["collected"],
        ):
            with pytest.raises(
                Rejected, match=f"run {run_id} has no result for device {outsider['id']}"
            ):
                await recorded(sessions, event_of(UUID(run_id), outsider))
        assert (await counts(sessions, outsider))[1] == 0

    async def test_naming_a_device_not_in_the_inventory_is_refused(
        self, admin: AsyncClient, sessions
    ) -> None:
        member = await create_device(admin, 22, unique("trust"))
        run_id = await create_run(sessions, [member["id"]])
        ghost = {"id": str(uuid4()), "hostname": "ghost"}
        with pytest.raises(Rejected, match="has no result for device"):
            await recorded(sessions, stored(UUID(run_id), ghost))

    async def test_naming_another_job_is_refused(self, admin: AsyncClient, sessions) -> None:
        device = await create_device(admin, 22, unique("trust"))
        job = await create_job(admin, [device["id"]])
        run_id = await create_run(sessions, [device["id"]], job_id=job["id"])
        other_job = uuid4()
        with pytest.raises(Rejected, match=f"run {run_id} is not a run of job {other_job}"):
            await recorded(sessions, started(UUID(run_id), device, job_id=other_job))
        await recorded(sessions, started(UUID(run_id), device, job_id=UUID(job["id"])))
        assert (await result_of(sessions, run_id, device)).status == "running"

    async def test_of_the_other_kind_of_run_is_refused(self, admin: AsyncClient, sessions) -> None:
        device = await create_device(admin, 22, unique("trust"))
        backup_run, check_run = (
            await create_run(sessions, [device["id"]]),
            await create_run(sessions, [device["id"]], kind="reachability"),
        )
        with pytest.raises(Rejected, match="is a backup run, not a reachability run"):
            await recorded(sessions, checked(UUID(backup_run), device))
        with pytest.raises(Rejected, match="is a reachability run, not a backup run"):
            await recorded(sessions, stored(UUID(check_run), device))
        assert (await result_of(sessions, backup_run, device)).status == "queued"
        assert (await result_of(sessions, check_run, device)).status == "queued"


class TestTheDatabaseNamesTheDevice:
    async def test_a_result_keeps_the_hostname_of_the_device_row(
        self, admin: AsyncClient, sessions
    ) -> None:
        device = await create_device(admin, 22, unique("trust"))
        run_id = await create_run(sessions, [device["id"]])
        await recorded(sessions, started(UUID(run_id), device, hostname="forged-name"))
        result = await result_of(sessions, run_id, device)
        assert (result.status, result.hostname) == ("running", device["hostname"])


async def figures(sessions: async_sessionmaker[AsyncSession], credential: dict) -> tuple[int, int]:
    async with sessions() as session:
        row = await session.get(Credential, UUID(credential["id"]))
        return row.success_count, row.failure_count


class TestCredentialFigures:
    async def test_only_credentials_the_device_may_use_are_counted(
        self, admin: AsyncClient, sessions
    ) -> None:
        tag = unique("trust")
        device = await create_device(admin, 22, tag)
        usable, refused, foreign = [
            await create_credential(admin, t, "pw") for t in (tag, tag, unique("other"))
        ]
        forged_run = await create_run(sessions, [device["id"]])
        await recorded(
            sessions,
            collected(UUID(forged_run), device, UUID(foreign["id"]), [UUID(refused["id"])]),
        )
        assert (await result_of(sessions, forged_run, device)).credential_id is None
        assert [await figures(sessions, c) for c in (usable, refused, foreign)] == [
            (0, 0),
            (0, 0),
            (0, 0),
        ]

        run_id = await create_run(sessions, [device["id"]])
        await recorded(
            sessions,
            collected(
                UUID(run_id), device, UUID(usable["id"]), [UUID(refused["id"]), UUID(foreign["id"])]
            ),
        )
        assert (await result_of(sessions, run_id, device)).credential_id == UUID(usable["id"])
        assert [await figures(sessions, c) for c in (usable, refused, foreign)] == [
            (1, 0),
            (0, 1),
            (0, 0),
        ]

    async def test_a_batch_counts_once_per_device_and_binds_every_device(
        self, admin: AsyncClient, sessions
    ) -> None:
        tag = unique("batch-figures")
        devices = [await create_device(admin, 22, tag) for _ in range(3)]
        tags = (tag, tag, unique("other"))
        usable, refused, foreign = [await create_credential(admin, t, "pw") for t in tags]
        run_id = UUID(await create_run(sessions, [device["id"] for device in devices]))
        tried = [UUID(refused["id"]), UUID(foreign["id"])]
        backups = [collected(run_id, device, UUID(usable["id"]), tried) for device in devices]
        redelivered = collected(run_id, devices[0], UUID(usable["id"]), tried)
        await recording(sessions)([*backups, redelivered])
        counted = [await figures(sessions, c) for c in (usable, refused, foreign)]
        assert counted == [(3, 0), (0, 3), (0, 0)]
        shown = [(await admin.get(f"/api/devices/{d['id']}")).json() for d in devices]
        assert [device["bound_credential"]["id"] for device in shown] == [usable["id"]] * 3
