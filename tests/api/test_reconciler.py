"""A result the bus dropped is requested again, then failed with a reason: no run stays open."""

import asyncio
from datetime import timedelta
from uuid import UUID, uuid4

import nats
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select, update

from netraven_api.runs.reconciler import reconcile_once
from netraven_api.runs.recorder import record_started
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import RunResult
from netraven_shared.events import DeviceBackupStarted, JobRequested, subjects
from netraven_shared.rejection import Rejected
from tests.fixtures.factories import create_device, create_job
from tests.fixtures.infra import Infra

DEADLINE = timedelta(minutes=15)


async def age_results(app: FastAPI, run_id: str) -> None:
    """Pretend nothing was heard of the run's results for longer than the deadline."""
    async with app.state.sessions() as session:
        await session.execute(update(RunResult).where(RunResult.run_id == UUID(run_id)).values(updated_at=utc_now() - 2 * DEADLINE))
        await session.commit()


class TestReconciler:
    async def test_a_silent_result_is_requested_again_then_failed(self, api_app: FastAPI, admin: AsyncClient) -> None:
        device = await create_device(admin, 1, "reconcile")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]

        await age_results(api_app, run_id)
        assert await reconcile_once(api_app.state.sessions, api_app.state.broker, DEADLINE) >= 1
        run = (await admin.get(f"/api/runs/{run_id}")).json()
        assert run["status"] == "queued"

        await age_results(api_app, run_id)
        await reconcile_once(api_app.state.sessions, api_app.state.broker, DEADLINE)
        run = (await admin.get(f"/api/runs/{run_id}")).json()
        assert run["status"] == "failed"
        assert "check that workers are running" in run["results"][0]["error"]

    async def test_a_recent_result_is_left_alone(self, api_app: FastAPI, admin: AsyncClient) -> None:
        device = await create_device(admin, 2, "reconcile")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        await reconcile_once(api_app.state.sessions, api_app.state.broker, DEADLINE)
        assert (await admin.get(f"/api/runs/{run_id}")).json()["results"][0]["status"] == "queued"

    async def test_a_forged_event_gives_it_nothing_to_request(self, api_app: FastAPI, admin: AsyncClient, infra: Infra) -> None:
        device = await create_device(admin, 3, "reconcile")
        forged = DeviceBackupStarted(run_id=uuid4(), device_id=device["id"], hostname=device["hostname"], worker_id="w1", attempt=1)
        async with api_app.state.sessions() as session:
            with pytest.raises(Rejected):
                await record_started(session, forged)
            await session.commit()
            assert await session.scalar(select(func.count()).where(RunResult.device_id == UUID(device["id"]))) == 0

        requested: list[JobRequested] = []

        async def note(message) -> None:
            requested.append(JobRequested.model_validate_json(message.data))

        listener = await nats.connect(infra.nats_url)
        await listener.subscribe(subjects.JOB_REQUESTED, cb=note)
        try:
            await reconcile_once(api_app.state.sessions, api_app.state.broker, DEADLINE)
            await listener.flush()
            await asyncio.sleep(0.3)
        finally:
            await listener.close()
        assert all(request.device_id != UUID(device["id"]) for request in requested)
