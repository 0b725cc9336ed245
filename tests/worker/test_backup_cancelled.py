"""A worker skips a request for a backup an operator cancelled before it started."""

from unittest.mock import MagicMock
from uuid import UUID

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_shared.crypto import CredentialCipher
from netraven_shared.events import JobRequested
from netraven_worker.backup import BackupService
from netraven_worker.config import WorkerSettings
from tests.fixtures.factories import create_device, create_job


class TestCancelledRequest:
    async def test_is_acked_without_connecting_or_publishing(self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> None:
        device = await create_device(admin, 9, "cancelled-worker")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        assert (await admin.post(f"/api/runs/{run_id}/cancel")).status_code == 200
        broker = MagicMock()
        service = BackupService(sessions, broker, CredentialCipher("test"), WorkerSettings())
        request = JobRequested(run_id=UUID(run_id), job_id=UUID(job["id"]), device_id=UUID(device["id"]), trigger="manual")
        await service.back_up(request, UUID(run_id), attempt=1)
        assert broker.mock_calls == []
