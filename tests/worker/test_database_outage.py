"""A worker that cannot read its device because PostgreSQL is unreachable waits for it, instead of
failing the request (a nak spends one of its few deliveries)."""

import asyncio
from uuid import UUID

from faststream.nats import NatsBroker
from httpx import AsyncClient

from netraven_shared.db.session import session_factory
from netraven_shared.events import JobDispatched
from netraven_worker.backup import BackupService
from netraven_worker.config import WorkerSettings
from tests.fixtures.api import CIPHER
from tests.fixtures.factories import create_device, create_job
from tests.fixtures.infra import Infra
from tests.fixtures.tcp_proxy import TcpProxy, engine_through


class TestDatabaseOutage:
    async def test_the_request_is_held_until_the_database_is_back(
        self, admin: AsyncClient, broker: NatsBroker, infra: Infra, database_proxy: TcpProxy,
    ) -> None:
        device = await create_device(admin, 9, "outage-worker")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        assert (await admin.post(f"/api/runs/{run_id}/cancel")).status_code == 200  # so the backup ends at the read
        engine = engine_through(database_proxy, infra)
        service = BackupService(session_factory(engine), broker, CIPHER, WorkerSettings())
        request = JobDispatched(run_id=UUID(run_id), job_id=UUID(job["id"]), device_id=UUID(device["id"]), trigger="manual")
        try:
            await database_proxy.stop()
            backing_up = asyncio.create_task(service.back_up(request, attempt=1))
            await asyncio.sleep(4)
            assert not backing_up.done(), "the worker gave up on the request while the database was away"
            await database_proxy.start()
            await asyncio.wait_for(backing_up, timeout=30)
        finally:
            await engine.dispose()
