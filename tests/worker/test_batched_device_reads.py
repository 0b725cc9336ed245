"""Backups that start together read their devices in one statement (device_batch.py), and each
still gets its own device, or None, or the outage that it waits out."""

import asyncio
import uuid
from uuid import UUID

import pytest
from httpx import AsyncClient
from netraven_shared.events import JobDispatched
from netraven_shared.outage import is_outage
from netraven_shared.rejection import Rejected
from netraven_worker.backup_read import BackupReader, DeviceRead
from netraven_worker.config import WorkerSettings
from netraven_worker.inventory import in_its_run, inventory_engine
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fixtures.api import CIPHER
from tests.fixtures.factories import create_device, create_job, unique
from tests.fixtures.infra import Infra
from tests.fixtures.tcp_proxy import TcpProxy


def count_device_reads(engine: AsyncEngine) -> list[str]:
    """Every statement reading devices that `engine`'s connections run from now on, as asyncpg
    sends it (the reader's prepared statements bypass SQLAlchemy's events)."""
    statements: list[str] = []

    def logged(record: object) -> None:
        query = record.query  # type: ignore[attr-defined]
        if "devices.hostname" in query:
            statements.append(query)

    def on_connect(connection: object, _: object) -> None:
        connection.driver_connection.add_query_logger(logged)  # type: ignore[attr-defined]

    event.listen(engine.sync_engine, "connect", on_connect)
    return statements


def dispatch(run_id: UUID, job_id: UUID, device_id: UUID) -> JobDispatched:
    return JobDispatched(run_id=run_id, job_id=job_id, device_id=device_id, trigger="manual")


async def run_of(admin: AsyncClient, count: int) -> tuple[UUID, UUID, list[UUID]]:
    """A run (and its job) backing up `count` new devices."""
    tag = unique("batch")
    devices = [await create_device(admin, 22, tag) for _ in range(count)]
    job = await create_job(admin, [device["id"] for device in devices])
    run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
    return UUID(run_id), UUID(job["id"]), [UUID(device["id"]) for device in devices]


def reader(engine: AsyncEngine) -> BackupReader:
    return BackupReader(engine, CIPHER, WorkerSettings())


class TestBatchedDeviceReads:
    async def test_concurrent_reads_share_one_statement_and_each_gets_its_device(
        self, admin: AsyncClient, infra: Infra
    ) -> None:
        run_id, job_id, device_ids = await run_of(admin, 12)
        outside_the_run = UUID((await create_device(admin, 22, unique("batch")))["id"])
        unknown = uuid.uuid4()
        requests = [dispatch(run_id, job_id, device_id) for device_id in device_ids]
        requests.append(dispatch(run_id, job_id, device_ids[0]))  # a redelivery, asked twice
        requests += [dispatch(run_id, job_id, outside_the_run), dispatch(run_id, job_id, unknown)]
        engine = inventory_engine(infra.database_url, pool_size=4)
        device_reads = count_device_reads(engine)
        try:
            backup_reader = reader(engine)
            reads = await asyncio.gather(*(backup_reader.read(each) for each in requests))
        finally:
            await engine.dispose()
        assert len(device_reads) == 1, device_reads
        *in_the_run, not_in_the_run, not_in_the_inventory = reads
        for request, read in zip(requests[:-2], in_the_run, strict=True):
            device = in_its_run(read.device, request.device_id, run_id)
            assert device.id == request.device_id and not device.settled
        assert not_in_the_run.device is not None and not_in_the_run.device.id == outside_the_run
        with pytest.raises(Rejected, match="does not back up"):
            in_its_run(not_in_the_run.device, outside_the_run, run_id)
        assert not_in_the_inventory == DeviceRead(None, [])

    async def test_reads_asked_while_a_batch_is_read_make_the_next_batch(
        self, admin: AsyncClient, infra: Infra
    ) -> None:
        run_id, job_id, device_ids = await run_of(admin, 6)
        engine = inventory_engine(infra.database_url, pool_size=2)
        device_reads = count_device_reads(engine)
        backup_reader = reader(engine)
        try:
            first = [
                asyncio.create_task(backup_reader.read(dispatch(run_id, job_id, device_id)))
                for device_id in device_ids[:3]
            ]
            await asyncio.sleep(0)  # the first batch is being read
            later = [
                asyncio.create_task(backup_reader.read(dispatch(run_id, job_id, device_id)))
                for device_id in device_ids[3:]
            ]
            reads = await asyncio.gather(*first, *later)
        finally:
            await engine.dispose()
        assert len(device_reads) == 2, device_reads
        assert [read.device.id for read in reads if read.device] == device_ids

    async def test_an_outage_fails_the_whole_batch_and_the_next_reads_a_fresh_connection(
        self, admin: AsyncClient, infra: Infra, database_proxy: TcpProxy
    ) -> None:
        run_id, job_id, device_ids = await run_of(admin, 4)
        requests = [dispatch(run_id, job_id, device_id) for device_id in device_ids]
        url = make_url(infra.database_url).set(host="127.0.0.1", port=database_proxy.port)
        engine = inventory_engine(url.render_as_string(hide_password=False), pool_size=1)
        opened: list[object] = []
        event.listen(engine.sync_engine, "connect", lambda connection, _: opened.append(connection))
        backup_reader = reader(engine)
        try:
            await backup_reader.read(requests[0])  # the pool now holds a connection
            await database_proxy.stop()
            await database_proxy.start()
            failed = await asyncio.gather(
                *(backup_reader.read(each) for each in requests), return_exceptions=True
            )
            assert all(isinstance(error, Exception) and is_outage(error) for error in failed), (
                failed
            )
            reads = await asyncio.gather(*(backup_reader.read(each) for each in requests))
        finally:
            await engine.dispose()
        assert [read.device.id for read in reads if read.device] == device_ids
        assert len(opened) == 2, "the dropped connection was replaced once"
