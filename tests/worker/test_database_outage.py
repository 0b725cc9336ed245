"""A worker that cannot read its device because PostgreSQL is unreachable waits for it, instead of
failing the request (a nak spends one of its few deliveries)."""

import asyncio
from uuid import UUID

from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.events import JobDispatched
from netraven_worker.backup import BackupService
from netraven_worker.config import WorkerSettings
from netraven_worker.inventory import inventory_engine
from sqlalchemy.engine import make_url

from tests.fixtures.api import CIPHER
from tests.fixtures.factories import create_device, create_job
from tests.fixtures.infra import Infra
from tests.fixtures.tcp_proxy import TcpProxy, engine_through

CATALOG = DriverCatalog.load()


class TestDatabaseOutage:
    async def test_the_request_is_held_until_the_database_is_back(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        infra: Infra,
        database_proxy: TcpProxy,
    ) -> None:
        device = await create_device(admin, 9, "outage-worker")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        assert (
            await admin.post(f"/api/runs/{run_id}/cancel")
        ).status_code == 200  # so the backup ends at the read
        engine = engine_through(database_proxy, infra)
        service = BackupService(engine, broker, CIPHER, WorkerSettings(), CATALOG)
        request = JobDispatched(
            run_id=UUID(run_id),
            job_id=UUID(job["id"]),
            device_id=UUID(device["id"]),
            trigger="manual",
        )
        try:
            await database_proxy.stop()
            backing_up = asyncio.create_task(service.back_up(request, attempt=1))
            await asyncio.sleep(4)
            assert not backing_up.done(), (
                "the worker gave up on the request while the database was away"
            )
            await database_proxy.start()
            await asyncio.wait_for(backing_up, timeout=30)
        finally:
            await engine.dispose()

    async def test_a_pooled_connection_the_database_dropped_is_replaced(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        infra: Infra,
        database_proxy: TcpProxy,
    ) -> None:
        """The worker's engine does not ping before each read: the read on a dead connection is the
        outage, and the retry takes a fresh one."""
        device = await create_device(admin, 9, "outage-pooled")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        assert (
            await admin.post(f"/api/runs/{run_id}/cancel")
        ).status_code == 200  # so the backup ends at the read
        url = make_url(infra.database_url).set(host="127.0.0.1", port=database_proxy.port)
        engine = inventory_engine(url.render_as_string(hide_password=False), pool_size=1)
        service = BackupService(engine, broker, CIPHER, WorkerSettings(), CATALOG)
        request = JobDispatched(
            run_id=UUID(run_id),
            job_id=UUID(job["id"]),
            device_id=UUID(device["id"]),
            trigger="manual",
        )
        try:
            await service.back_up(request, attempt=1)  # the pool now holds a connection
            await database_proxy.stop()
            await database_proxy.start()
            await asyncio.wait_for(service.back_up(request, attempt=2), timeout=30)
        finally:
            await engine.dispose()
