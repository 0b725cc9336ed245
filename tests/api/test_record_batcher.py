"""The run recorder writes events that arrive together in one transaction, and a bad one fails alone."""

import asyncio
from uuid import UUID, uuid4

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.runs.record_batcher import RecordBatcher
from netraven_api.runs.recorder import record_started, record_stored
from netraven_shared.events import ConfigStored, DeviceBackupStarted
from netraven_shared.rejection import Rejected
from tests.fixtures.factories import create_device, create_job, unique


class CountingSessions:
    """The real session factory, counting the sessions (one per transaction) the batcher opens."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self.opened = 0

    def __call__(self) -> AsyncSession:
        self.opened += 1
        return self._sessions()


async def queued_run(admin: AsyncClient, devices: int) -> dict:
    tag = unique("batch")
    ids = [(await create_device(admin, 22, tag))["id"] for _ in range(devices)]
    job = await create_job(admin, ids)
    run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
    return (await admin.get(f"/api/runs/{run_id}")).json()


def started(run: dict, result: dict) -> DeviceBackupStarted:
    return DeviceBackupStarted(
        run_id=UUID(run["id"]), job_id=UUID(run["job_id"]), device_id=UUID(result["device_id"]),
        hostname=result["hostname"], worker_id="w1", attempt=1,
    )


def stored(run: dict, result: dict) -> ConfigStored:
    return ConfigStored(
        run_id=UUID(run["id"]), device_id=UUID(result["device_id"]), hostname=result["hostname"],
        commit="a" * 40, sha256="b" * 64, changed=True,
    )


class TestBatching:
    async def test_events_arriving_together_share_transactions_and_finish_the_run(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        run = await queued_run(admin, devices=12)
        counting = CountingSessions(sessions)
        batcher = RecordBatcher(counting)
        events = [(started(run, r), record_started) for r in run["results"]] + [(stored(run, r), record_stored) for r in run["results"]]
        await asyncio.gather(*(batcher.record(event, record) for event, record in events))
        after = (await admin.get(f"/api/runs/{run['id']}")).json()
        assert after["status"] == "succeeded"
        assert after["succeeded"] == 12
        assert counting.opened < len(events) / 4, f"{counting.opened} transactions for {len(events)} events"

    async def test_a_batch_bigger_than_the_limit_is_written_in_several(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        run = await queued_run(admin, devices=5)
        counting = CountingSessions(sessions)
        batcher = RecordBatcher(counting, max_batch=2)
        await asyncio.gather(*(batcher.record(stored(run, r), record_stored) for r in run["results"]))
        assert (await admin.get(f"/api/runs/{run['id']}")).json()["succeeded"] == 5
        assert counting.opened >= 3


class TestOneBadEvent:
    async def test_fails_alone_and_the_others_are_recorded(self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> None:
        run = await queued_run(admin, devices=3)
        ghost = {"device_id": str(uuid4()), "hostname": "not-in-the-inventory"}  # no such device: the result row cannot exist
        batcher = RecordBatcher(sessions)
        outcomes = await asyncio.gather(
            *(batcher.record(stored(run, r), record_stored) for r in [*run["results"], ghost]), return_exceptions=True,
        )
        assert [o is None for o in outcomes] == [True, True, True, False]
        after = (await admin.get(f"/api/runs/{run['id']}")).json()
        assert (after["status"], after["succeeded"]) == ("succeeded", 3)

    async def test_its_error_reaches_the_handler(self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> None:
        run = await queued_run(admin, devices=1)
        with pytest.raises(Rejected, match="has no result for device"):
            await RecordBatcher(sessions).record(stored(run, {"device_id": str(uuid4()), "hostname": "ghost"}), record_stored)


class TestARunTheDatabaseLacks:
    async def test_its_events_are_refused_inside_a_batch_and_the_others_recorded(self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> None:
        known = await queued_run(admin, devices=2)
        bus_run = {"id": str(uuid4()), "job_id": known["job_id"]}  # no row: only the api creates runs
        batcher = RecordBatcher(sessions)
        outcomes = await asyncio.gather(
            *(batcher.record(started(bus_run, r), record_started) for r in known["results"]),
            *(batcher.record(stored(known, r), record_stored) for r in known["results"]),
            return_exceptions=True,
        )
        assert [type(o) for o in outcomes] == [Rejected, Rejected, type(None), type(None)]
        assert (await admin.get(f"/api/runs/{bus_run['id']}")).status_code == 404
        assert (await admin.get(f"/api/runs/{known['id']}")).json()["status"] == "succeeded"
