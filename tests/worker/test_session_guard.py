"""Sessions guarded end to end through `BackupService`, on the real NATS, PostgreSQL and the SSH
simulator: workers never overlap on one device, and a device whose circuit is open is skipped."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_devstack.ports import free_port
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.events import JobDispatched, subjects
from netraven_shared.events.logs import LOG_LINE_SUBJECTS
from netraven_shared.messaging import build_broker, declare_streams
from netraven_shared.settings import NetRavenSettings
from netraven_worker.backup import BackupService
from netraven_worker.config import WorkerSettings
from netraven_worker.guard import DeviceGuard, RetryLater

from tests.e2e.runs import wait_for
from tests.fixtures.api import CIPHER, CREDENTIAL_KEYS
from tests.fixtures.clock import FakeClock
from tests.fixtures.factories import create_credential, create_device, create_job, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.worker.bus_capture import captured
from tests.worker.trust import engine_of

CATALOG = DriverCatalog.load()


@pytest.fixture
async def other_broker(infra: Infra) -> AsyncIterator[NatsBroker]:
    """A second NATS connection: the second worker."""
    broker = build_broker(NetRavenSettings(**infra.nats_settings()), "tests", "test-second-worker")
    await declare_streams(broker)
    yield broker
    await broker.stop()


def worker_settings(infra: Infra, worker_id: str, **overrides) -> WorkerSettings:
    return WorkerSettings(
        worker_id=worker_id,
        database_url=infra.database_url,
        credential_keys=CREDENTIAL_KEYS,
        **infra.nats_settings(),
        **overrides,
    )


async def start_run(client: AsyncClient, device_id: str) -> tuple[JobDispatched, UUID]:
    job = await create_job(client, [device_id])
    run_id = UUID((await client.post(f"/api/jobs/{job['id']}/run")).json()["run_id"])
    request = JobDispatched(
        run_id=run_id, job_id=UUID(job["id"]), device_id=UUID(device_id), trigger="manual"
    )
    return request, run_id


class TestNoOverlappingSessions:
    async def test_two_workers_take_turns_on_one_device(
        self, admin, sessions, infra, broker, other_broker
    ) -> None:
        profiles = make_lab_profiles(
            1, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE, delay=0.2
        )
        async with Lab(profiles) as lab:
            tag = unique("lock")
            await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
            device = await create_device(admin, lab.profiles[0].port, tag)
            request, _run_id = await start_run(admin, device["id"])
            workers = [
                BackupService(
                    engine_of(sessions),
                    b,
                    CIPHER,
                    worker_settings(infra, name, lock_retry_seconds=0.2),
                    CATALOG,
                )
                for b, name in ((broker, unique("worker-a")), (other_broker, unique("worker-b")))
            ]
            busy: list[float] = []

            async def deliver(service: BackupService) -> None:
                """What JetStream and the handler do: redeliver a request handed back with a
                delay."""
                for attempt in range(1, 200):
                    try:
                        return await service.back_up(request, attempt)
                    except RetryLater as retry:
                        busy.append(retry.delay)
                        await asyncio.sleep(retry.delay)
                raise AssertionError("never got the device")

            async with captured(broker, "netraven.>") as events:
                await asyncio.gather(*(deliver(workers[n % 2]) for n in range(4)))
                await asyncio.sleep(0.3)

            assert lab.peak_sessions(lab.profiles[0].hostname) == 1
            assert busy, "at least one request should have found the device busy"
            busy_lines = [
                e
                for e in events
                if e["subject"] in LOG_LINE_SUBJECTS and "busy with another session" in e["message"]
            ]
            assert (
                busy_lines
                and busy_lines[0]["device_id"] == device["id"]
                and busy_lines[0]["level"] == "info"
            )
            assert len([e for e in events if e["subject"] == subjects.BACKUP_SUCCEEDED]) == 4


class TestCircuitBreaker:
    async def test_a_failing_device_is_skipped_until_the_cooldown_passes(
        self, admin, sessions, infra, broker
    ) -> None:
        tag = unique("circuit")
        await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
        device = await create_device(
            admin, free_port(), tag
        )  # nothing listens there: connection refused
        settings = worker_settings(
            infra,
            unique("worker"),
            max_attempts=1,
            circuit_failure_threshold=2,
            circuit_cooldown_seconds=600,
        )
        clock = FakeClock(datetime(2026, 5, 4, 10, 0, tzinfo=UTC))
        guard = DeviceGuard(broker, settings, clock)
        service = BackupService(engine_of(sessions), broker, CIPHER, settings, CATALOG, guard=guard)

        async def run_once() -> tuple[dict, list[dict]]:
            request, run_id = await start_run(admin, device["id"])
            async with captured(broker, "netraven.>") as events:
                await service.back_up(request, attempt=1)
                await asyncio.sleep(0.3)
            return await wait_for(admin, str(run_id)), [
                e for e in events if e.get("run_id") == str(run_id)
            ]

        for _ in range(2):
            run, _ = await run_once()
            assert "connection refused" in run["results"][0]["error"]

        run, events = await run_once()
        expected = (
            "skipped: circuit open after 2 consecutive failures until 10:10 UTC; "
            "fix the device or wait"
        )
        assert run["results"][0]["error"] == expected
        assert not [e for e in events if e["subject"] == subjects.BACKUP_STARTED], (
            "no session may be opened"
        )
        assert [
            e
            for e in events
            if e["subject"] in LOG_LINE_SUBJECTS
            and e["level"] == "warning"
            and expected in e["message"]
        ]

        clock.now += timedelta(seconds=600)
        run, events = await run_once()
        assert "connection refused" in run["results"][0]["error"], (
            "after the cooldown the device is tried again"
        )
        assert [e for e in events if e["subject"] == subjects.BACKUP_STARTED]
