"""A result the bus dropped is requested again, then failed with a reason: no run stays open."""

import asyncio
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from fastapi import FastAPI
from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_api.runs.launcher import dispatch_id
from netraven_api.runs.reconciler import reconcile_forever, reconcile_once
from netraven_api.runs.recorder import record
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import RunResult
from netraven_shared.db.session import session_factory
from netraven_shared.events import DeviceBackupStarted, subjects
from netraven_shared.rejection import Rejected
from netraven_shared.task_stop import stop_task
from sqlalchemy import func, select, update

from tests.fixtures.factories import create_device, create_job
from tests.fixtures.infra import Infra
from tests.fixtures.tcp_proxy import TcpProxy, engine_through
from tests.worker.bus_capture import captured

DEADLINE = timedelta(minutes=15)


async def age_results(app: FastAPI, run_id: str) -> None:
    """Pretend nothing was heard of the run's results for longer than the deadline."""
    async with app.state.sessions() as session:
        await session.execute(
            update(RunResult)
            .where(RunResult.run_id == UUID(run_id))
            .values(updated_at=utc_now() - 2 * DEADLINE)
        )
        await session.commit()


class TestReconciler:
    async def test_a_silent_result_is_dispatched_again_then_failed(
        self, api_app: FastAPI, admin: AsyncClient, broker: NatsBroker
    ) -> None:
        device = await create_device(admin, 1, "reconcile")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]

        await age_results(api_app, run_id)
        async with captured(broker, subjects.JOB_DISPATCHED) as seen:
            assert (
                await reconcile_once(
                    api_app.state.sessions,
                    api_app.state.broker,
                    api_app.state.outbox_relay,
                    DEADLINE,
                )
                >= 1
            )
            second = str(dispatch_id(UUID(run_id), UUID(device["id"]), 2))
            for _ in range(50):
                if any(m["event_id"] == second for m in seen):
                    break
                await asyncio.sleep(0.1)
        assert [m["trigger"] for m in seen if m["event_id"] == second] == ["reconciler"], (
            "the second request goes out through the outbox"
        )
        run = (await admin.get(f"/api/runs/{run_id}")).json()
        assert run["status"] == "queued"

        await age_results(api_app, run_id)
        await reconcile_once(
            api_app.state.sessions, api_app.state.broker, api_app.state.outbox_relay, DEADLINE
        )
        run = (await admin.get(f"/api/runs/{run_id}")).json()
        assert run["status"] == "failed"
        assert "check that workers are running" in run["results"][0]["error"]

    async def test_a_recent_result_is_left_alone(
        self, api_app: FastAPI, admin: AsyncClient
    ) -> None:
        device = await create_device(admin, 2, "reconcile")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        await reconcile_once(
            api_app.state.sessions, api_app.state.broker, api_app.state.outbox_relay, DEADLINE
        )
        assert (await admin.get(f"/api/runs/{run_id}")).json()["results"][0]["status"] == "queued"

    async def test_a_forged_event_gives_it_nothing_to_request(
        self, api_app: FastAPI, admin: AsyncClient, broker: NatsBroker
    ) -> None:
        device = await create_device(admin, 3, "reconcile")
        forged = DeviceBackupStarted(
            run_id=uuid4(),
            device_id=device["id"],
            hostname=device["hostname"],
            worker_id="w1",
            attempt=1,
        )
        async with api_app.state.sessions() as session:
            with pytest.raises(Rejected):
                await record(session, [forged])
            await session.commit()
            assert (
                await session.scalar(
                    select(func.count()).where(RunResult.device_id == UUID(device["id"]))
                )
                == 0
            )

        async with captured(broker, subjects.JOB_DISPATCHED) as dispatched:
            await reconcile_once(
                api_app.state.sessions, api_app.state.broker, api_app.state.outbox_relay, DEADLINE
            )
            await asyncio.sleep(1.5)  # the relay's poll interval: anything enqueued is out by now
        assert all(request["device_id"] != device["id"] for request in dispatched)


class TestAfterADatabaseOutage:
    async def test_a_result_gets_a_whole_deadline_again_once_the_database_is_back(
        self,
        api_app: FastAPI,
        admin: AsyncClient,
        infra: Infra,
        database_proxy: TcpProxy,
    ) -> None:
        deadline = timedelta(seconds=3)
        device = await create_device(admin, 4, "reconcile")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        await age_results(api_app, run_id)  # silent for longer than the deadline already
        engine = engine_through(database_proxy, infra)
        await database_proxy.stop()
        reconciling = asyncio.create_task(
            reconcile_forever(
                session_factory(engine),
                api_app.state.broker,
                api_app.state.outbox_relay,
                deadline,
                interval=0.2,
            )
        )
        try:
            await asyncio.sleep(1)  # a few passes fail: the database is away
            await database_proxy.start()
            await asyncio.sleep(1.5)
            assert await requests_of(api_app, run_id) == 1, (
                "dispatched again right after the outage"
            )
            await asyncio.sleep(deadline.total_seconds() + 1)
            assert await requests_of(api_app, run_id) == 2, (
                "a whole deadline after the outage, a silent result is dispatched again"
            )
        finally:
            await stop_task(reconciling)
            await engine.dispose()


async def requests_of(app: FastAPI, run_id: str) -> int:
    async with app.state.sessions() as session:
        return await session.scalar(
            select(RunResult.requests).where(RunResult.run_id == UUID(run_id))
        )
