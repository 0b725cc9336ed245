"""Drive `BackupService` for one device on the real NATS and PostgreSQL, and set the device's trust
columns the way the api records them (a pinned key, a bound credential, management networks)."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_shared.db.models import Device, ManagementNetwork
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.events import JobDispatched, subjects
from netraven_shared.events.logs import LOG_LINE_SUBJECTS
from netraven_shared.host_keys import HostKey
from netraven_worker.backup import BackupService
from netraven_worker.config import WorkerSettings
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from tests.fixtures.api import CIPHER, CREDENTIAL_KEYS
from tests.fixtures.factories import create_job, unique
from tests.fixtures.infra import Infra
from tests.worker.bus_capture import captured

CATALOG = DriverCatalog.load()


def engine_of(sessions: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    """The engine behind the suite's sessions: a worker reads through an engine, not a session."""
    return sessions.kw["bind"]


def worker_settings(infra: Infra, **settings) -> WorkerSettings:
    return WorkerSettings(
        worker_id=unique("worker"),
        database_url=infra.database_url,
        credential_keys=CREDENTIAL_KEYS,
        credential_cache_seconds=0,
        **infra.nats_settings(),
        **settings,
    )


def backup_service(
    sessions: async_sessionmaker[AsyncSession], broker: NatsBroker, infra: Infra, **settings
) -> BackupService:
    return BackupService(
        engine_of(sessions), broker, CIPHER, worker_settings(infra, **settings), CATALOG
    )


class Outcome:
    """What one backup published: its DeviceBackedUp or DeviceBackupFailed, and its operator log
    lines."""

    def __init__(self, events: list[dict]) -> None:
        self.events = events

    @property
    def backed_up(self) -> dict | None:
        return next((e for e in self.events if e["subject"] == subjects.BACKUP_SUCCEEDED), None)

    @property
    def failed(self) -> dict | None:
        return next((e for e in self.events if e["subject"] == subjects.BACKUP_FAILED), None)

    def log_lines(self, level: str | None = None) -> list[dict]:
        return [
            e
            for e in self.events
            if e["subject"] in LOG_LINE_SUBJECTS and level in (None, e["level"])
        ]


async def back_up_once(
    client: AsyncClient, service: BackupService, broker: NatsBroker, device_id: str
) -> Outcome:
    """One run of the device, one delivery: returns once its outcome (and log lines) arrived."""
    job = await create_job(client, [device_id])
    run_id = UUID((await client.post(f"/api/jobs/{job['id']}/run")).json()["run_id"])
    request = JobDispatched(
        run_id=run_id, job_id=UUID(job["id"]), device_id=UUID(device_id), trigger="manual"
    )
    async with captured(broker, "netraven.>") as events:

        def mine() -> list[dict]:
            return [e for e in events if e.get("run_id") == str(run_id)]

        await service.back_up(request, attempt=1)
        deadline = time.monotonic() + 10
        while not any(
            e["subject"] in (subjects.BACKUP_SUCCEEDED, subjects.BACKUP_FAILED) for e in mine()
        ):
            assert time.monotonic() < deadline, "the backup published no outcome"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # its log lines follow the outcome
        return Outcome(mine())


async def pin_host_key(
    sessions: async_sessionmaker[AsyncSession], device_id: str, key: HostKey, by: str = "first use"
) -> None:
    """What the api does on the first DeviceBackedUp, or when an admin accepts an offered key."""
    async with sessions() as session:
        await session.execute(
            update(Device)
            .where(Device.id == UUID(device_id))
            .values(
                host_key_status="pinned",
                host_key_type=key.key_type,
                host_key_public=key.public_key,
                host_key_fingerprint=key.fingerprint,
                host_key_pinned_by=by,
                offered_host_key_type=None,
                offered_host_key_public=None,
                offered_host_key_fingerprint=None,
            )
        )
        await session.commit()


async def bind_credential(
    sessions: async_sessionmaker[AsyncSession], device_id: str, credential_id: str
) -> None:
    async with sessions() as session:
        await session.execute(
            update(Device)
            .where(Device.id == UUID(device_id))
            .values(bound_credential_id=UUID(credential_id))
        )
        await session.commit()


@asynccontextmanager
async def management_networks(
    sessions: async_sessionmaker[AsyncSession], *cidrs: str
) -> AsyncIterator[None]:
    """These networks, for the block only: the table is global to the test database."""
    async with sessions() as session:
        session.add_all(ManagementNetwork(cidr=cidr) for cidr in cidrs)
        await session.commit()
    try:
        yield
    finally:
        async with sessions() as session:
            await session.execute(
                delete(ManagementNetwork).where(ManagementNetwork.cidr.in_(cidrs))
            )
            await session.commit()
