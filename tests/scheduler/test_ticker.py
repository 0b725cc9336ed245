"""The scheduler on real PostgreSQL and NATS, with a clock the test moves by hand."""

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from uuid import UUID

import pytest
from faststream.nats import NatsBroker
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_scheduler.ticker import Ticker
from netraven_shared.db.models import Job, Run
from netraven_shared.messaging import build_broker, declare_streams
from netraven_shared.settings import NetRavenSettings
from tests.fixtures.factories import create_device, unique
from tests.fixtures.infra import Infra

INTERVAL = 3600


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def broker(infra: Infra) -> AsyncIterator[NatsBroker]:
    broker = build_broker(NetRavenSettings(nats_url=infra.nats_url), "scheduler-test")
    await declare_streams(broker)
    yield broker
    await broker.stop()


@pytest.fixture
async def interval_job(admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> Job:
    device = await create_device(admin, 1, unique("sched"))
    response = await admin.post("/api/jobs", json={"name": unique("every-hour"), "device_ids": [device["id"]], "schedule": {"type": "interval", "seconds": INTERVAL}})
    async with sessions() as session:
        return await session.get(Job, UUID(response.json()["id"]))


async def runs_of(sessions: async_sessionmaker[AsyncSession], job: Job) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(Run).where(Run.job_id == job.id, Run.trigger == "schedule"))


class TestTicker:
    async def test_a_new_job_fires_at_once_without_a_restart(self, sessions, broker, interval_job: Job) -> None:
        ticker = Ticker(sessions, broker, FakeClock(interval_job.created_at + timedelta(seconds=1)))
        await ticker.tick()
        assert await runs_of(sessions, interval_job) == 1

    async def test_a_slot_fires_once_however_often_it_is_ticked(self, sessions, broker, interval_job: Job) -> None:
        ticker = Ticker(sessions, broker, FakeClock(interval_job.created_at + timedelta(seconds=1)))
        for _ in range(3):
            await ticker.tick()
        assert await runs_of(sessions, interval_job) == 1

    async def test_the_next_slot_fires_when_its_time_comes(self, sessions, broker, interval_job: Job) -> None:
        clock = FakeClock(interval_job.created_at + timedelta(seconds=1))
        ticker = Ticker(sessions, broker, clock)
        await ticker.tick()
        clock.now += timedelta(seconds=INTERVAL - 2)
        await ticker.tick()
        assert await runs_of(sessions, interval_job) == 1
        clock.now += timedelta(seconds=2)
        await ticker.tick()
        assert await runs_of(sessions, interval_job) == 2

    async def test_after_downtime_a_missed_schedule_runs_once(self, sessions, broker, interval_job: Job) -> None:
        clock = FakeClock(interval_job.created_at + timedelta(seconds=1))
        ticker = Ticker(sessions, broker, clock)
        await ticker.tick()
        clock.now += timedelta(hours=10)
        await ticker.tick()
        await ticker.tick()
        assert await runs_of(sessions, interval_job) == 2

    async def test_two_schedulers_racing_for_a_slot_fire_it_once(self, sessions, broker, interval_job: Job, infra: Infra) -> None:
        other_broker = build_broker(NetRavenSettings(nats_url=infra.nats_url), "scheduler-test-2")
        await declare_streams(other_broker)
        try:
            clock = FakeClock(interval_job.created_at + timedelta(seconds=1))
            replicas = [Ticker(sessions, broker, clock), Ticker(sessions, other_broker, clock)]
            fired = await asyncio.gather(*(replica.tick() for replica in replicas for _ in range(3)))
        finally:
            await other_broker.stop()
        assert await runs_of(sessions, interval_job) == 1
        assert sum(fired) >= 1

    async def test_a_disabled_job_does_not_fire(self, sessions, broker, interval_job: Job) -> None:
        async with sessions() as session:
            job = await session.get(Job, interval_job.id)
            job.enabled = False
            await session.commit()
        await Ticker(sessions, broker, FakeClock(interval_job.created_at + timedelta(seconds=1))).tick()
        assert await runs_of(sessions, interval_job) == 0
