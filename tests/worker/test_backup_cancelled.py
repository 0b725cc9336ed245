"""A worker skips a dispatch for a backup an operator cancelled before it started, or that already
finished; it refuses (so it is recorded) one naming a device or run the database does not know."""

from unittest.mock import MagicMock
from uuid import UUID, uuid4

import pytest
from httpx import AsyncClient
from netraven_shared.db.models import ResultStatus, RunResult
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.events import JobDispatched
from netraven_shared.rejection import Rejected
from netraven_worker.backup import BackupService
from netraven_worker.config import WorkerSettings
from netraven_worker.reachability import ReachabilityService
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.api import CIPHER
from tests.fixtures.factories import create_device, create_job
from tests.worker.trust import engine_of

CATALOG = DriverCatalog.load()


class TestSettledDispatch:
    async def test_a_cancelled_one_is_acked_without_connecting_or_publishing(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await create_device(admin, 9, "cancelled-worker")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        assert (await admin.post(f"/api/runs/{run_id}/cancel")).status_code == 200
        broker = MagicMock()
        service = BackupService(engine_of(sessions), broker, CIPHER, WorkerSettings(), CATALOG)
        dispatch = JobDispatched(
            run_id=UUID(run_id),
            job_id=UUID(job["id"]),
            device_id=UUID(device["id"]),
            trigger="manual",
        )
        await service.back_up(dispatch, attempt=1)
        assert broker.mock_calls == []

    async def test_a_finished_one_is_skipped_too(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        """A dispatch republished after JetStream's duplicate window must not back the device up
        twice."""
        device = await create_device(admin, 9, "finished-worker")
        job = await create_job(admin, [device["id"]])
        run_id = UUID((await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"])
        async with sessions() as session:
            await session.execute(
                update(RunResult)
                .where(RunResult.run_id == run_id)
                .values(status=ResultStatus.SUCCEEDED)
            )
            await session.commit()
        broker = MagicMock()
        service = BackupService(engine_of(sessions), broker, CIPHER, WorkerSettings(), CATALOG)
        await service.back_up(
            JobDispatched(run_id=run_id, device_id=UUID(device["id"]), trigger="manual"), attempt=1
        )
        assert broker.mock_calls == []


class TestUnknownDispatch:
    async def test_an_unknown_device_is_refused_without_publishing(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await create_device(admin, 9, "unknown-worker")
        run_id = UUID(
            (
                await admin.post(f"/api/jobs/{(await create_job(admin, [device['id']]))['id']}/run")
            ).json()["run_id"]
        )
        broker = MagicMock()
        service = BackupService(engine_of(sessions), broker, CIPHER, WorkerSettings(), CATALOG)
        stranger = uuid4()
        with pytest.raises(Rejected, match=f"device {stranger} is not in the inventory"):
            await service.back_up(
                JobDispatched(run_id=run_id, device_id=stranger, trigger="manual"), attempt=1
            )
        assert broker.mock_calls == []

    async def test_a_run_that_does_not_hold_the_device_is_refused(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await create_device(admin, 9, "unknown-run-worker")
        broker = MagicMock()
        dispatch = JobDispatched(run_id=uuid4(), device_id=UUID(device["id"]), trigger="manual")
        with pytest.raises(Rejected, match="unknown run, or not one of its devices"):
            await BackupService(
                engine_of(sessions), broker, CIPHER, WorkerSettings(), CATALOG
            ).back_up(dispatch, attempt=1)
        with pytest.raises(Rejected, match="unknown run, or not one of its devices"):
            await ReachabilityService(engine_of(sessions), broker, WorkerSettings()).check(
                dispatch.model_copy(update={"kind": "reachability"})
            )
        assert broker.mock_calls == []
