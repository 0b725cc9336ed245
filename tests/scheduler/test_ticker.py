"""The scheduler on real PostgreSQL and NATS, with a clock the test moves by hand.

The scheduler asks the api to start each slot's run: the in-process api (the `api_app` fixture that
`admin` and `sessions` start) answers its `START_RUN` requests on the same NATS."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter
from httpx import AsyncClient
from netraven_scheduler.ticker import Ticker
from netraven_shared.db.models import Job, Run
from netraven_shared.events.run_rpc import slot_run_id
from netraven_shared.messaging import build_broker, declare_streams
from netraven_shared.settings import NetRavenSettings
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.clock import FakeClock
from tests.fixtures.factories import create_device, unique
from tests.fixtures.infra import Infra

INTERVAL = 3600


@pytest.fixture
async def interval_job(admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> Job:
    device = await create_device(admin, 1, unique("sched"))
    response = await admin.post(
        "/api/jobs",
        json={
            "name": unique("every-hour"),
            "device_ids": [device["id"]],
            "schedule": {"type": "interval", "seconds": INTERVAL},
        },
    )
    async with sessions() as session:
        return await session.get(Job, UUID(response.json()["id"]))


async def runs_of(sessions: async_sessionmaker[AsyncSession], job: Job) -> int:
    async with sessions() as session:
        return await session.scalar(
            select(func.count())
            .select_from(Run)
            .where(Run.job_id == job.id, Run.trigger == "schedule")
        )


class TestTicker:
    async def test_a_new_job_fires_at_once_without_a_restart(
        self, sessions, broker, interval_job: Job
    ) -> None:
        ticker = Ticker(sessions, broker, FakeClock(interval_job.created_at + timedelta(seconds=1)))
        await ticker.tick()
        assert await runs_of(sessions, interval_job) == 1

    async def test_a_slot_fires_once_however_often_it_is_ticked(
        self, sessions, broker, interval_job: Job
    ) -> None:
        ticker = Ticker(sessions, broker, FakeClock(interval_job.created_at + timedelta(seconds=1)))
        for _ in range(3):
            await ticker.tick()
        assert await runs_of(sessions, interval_job) == 1

    async def test_the_next_slot_fires_when_its_time_comes(
        self, sessions, broker, interval_job: Job
    ) -> None:
        clock = FakeClock(interval_job.created_at + timedelta(seconds=1))
        ticker = Ticker(sessions, broker, clock)
        await ticker.tick()
        clock.now += timedelta(seconds=INTERVAL - 2)
        await ticker.tick()
        assert await runs_of(sessions, interval_job) == 1
        clock.now += timedelta(seconds=2)
        await ticker.tick()
        assert await runs_of(sessions, interval_job) == 2

    async def test_after_downtime_a_missed_schedule_runs_once(
        self, sessions, broker, interval_job: Job
    ) -> None:
        clock = FakeClock(interval_job.created_at + timedelta(seconds=1))
        ticker = Ticker(sessions, broker, clock)
        await ticker.tick()
        clock.now += timedelta(hours=10)
        await ticker.tick()
        await ticker.tick()
        assert await runs_of(sessions, interval_job) == 2

    async def test_two_schedulers_racing_for_a_slot_fire_it_once(
        self, sessions, broker, interval_job: Job, infra: Infra
    ) -> None:
        other_broker = build_broker(
            NetRavenSettings(**infra.nats_settings()), "tests", "scheduler-test-2"
        )
        await declare_streams(other_broker)
        try:
            clock = FakeClock(interval_job.created_at + timedelta(seconds=1))
            replicas = [Ticker(sessions, broker, clock), Ticker(sessions, other_broker, clock)]
            fired = await asyncio.gather(
                *(replica.tick() for replica in replicas for _ in range(3))
            )
        finally:
            await other_broker.stop()
        assert await runs_of(sessions, interval_job) == 1
        assert sum(fired) >= 1

    async def test_a_disabled_job_does_not_fire(self, sessions, broker, interval_job: Job) -> None:
        async with sessions() as session:
            job = await session.get(Job, interval_job.id)
            job.enabled = False
            await session.commit()
        await Ticker(
            sessions, broker, FakeClock(interval_job.created_at + timedelta(seconds=1))
        ).tick()
        assert await runs_of(sessions, interval_job) == 0


async def scheduled_job(
    admin: AsyncClient, sessions: async_sessionmaker[AsyncSession], schedule: dict
) -> Job:
    device = await create_device(admin, 1, unique("sched"))
    response = await admin.post(
        "/api/jobs",
        json={"name": unique("scheduled"), "device_ids": [device["id"]], "schedule": schedule},
    )
    assert response.status_code == 201, response.text
    async with sessions() as session:
        return await session.get(Job, UUID(response.json()["id"]))


def next_fire(expression: str, timezone: str, after: datetime) -> datetime:
    return (
        croniter(expression, after.astimezone(ZoneInfo(timezone)))
        .get_next(datetime)
        .astimezone(UTC)
    )


class TestCronTicker:
    EXPRESSION, TIMEZONE = "*/15 * * * *", "Europe/Berlin"

    @pytest.fixture
    async def cron_job(self, admin: AsyncClient, sessions) -> Job:
        return await scheduled_job(
            admin,
            sessions,
            {"type": "cron", "expression": self.EXPRESSION, "timezone": self.TIMEZONE},
        )

    async def test_a_new_cron_job_waits_for_its_first_fire_time(
        self, sessions, broker, cron_job: Job
    ) -> None:
        first = next_fire(self.EXPRESSION, self.TIMEZONE, cron_job.scheduled_since)
        clock = FakeClock(first - timedelta(seconds=1))
        ticker = Ticker(sessions, broker, clock)
        await ticker.tick()
        assert await runs_of(sessions, cron_job) == 0
        clock.now = first
        for _ in range(3):
            await ticker.tick()
        assert await runs_of(sessions, cron_job) == 1
        async with sessions() as session:
            assert await session.get(Run, slot_run_id(cron_job.id, first)) is not None

    async def test_each_fire_time_runs_once_and_downtime_runs_once(
        self, sessions, broker, cron_job: Job
    ) -> None:
        first = next_fire(self.EXPRESSION, self.TIMEZONE, cron_job.scheduled_since)
        clock = FakeClock(first + timedelta(seconds=5))
        ticker = Ticker(sessions, broker, clock)
        await ticker.tick()
        clock.now = first + timedelta(minutes=15)
        await ticker.tick()
        await ticker.tick()
        assert await runs_of(sessions, cron_job) == 2
        clock.now += timedelta(hours=10, minutes=7)
        await ticker.tick()
        await ticker.tick()
        assert await runs_of(sessions, cron_job) == 3

    async def test_two_schedulers_fire_a_cron_slot_once(
        self, sessions, broker, cron_job: Job, infra: Infra
    ) -> None:
        other_broker = build_broker(
            NetRavenSettings(**infra.nats_settings()), "tests", "scheduler-test-3"
        )
        await declare_streams(other_broker)
        try:
            clock = FakeClock(next_fire(self.EXPRESSION, self.TIMEZONE, cron_job.scheduled_since))
            replicas = [Ticker(sessions, broker, clock), Ticker(sessions, other_broker, clock)]
            await asyncio.gather(*(replica.tick() for replica in replicas for _ in range(3)))
        finally:
            await other_broker.stop()
        assert await runs_of(sessions, cron_job) == 1

    async def test_a_job_disabled_through_the_api_does_not_fire(
        self, admin: AsyncClient, sessions, broker, cron_job: Job
    ) -> None:
        response = await admin.patch(f"/api/jobs/{cron_job.id}", json={"enabled": False})
        assert response.status_code == 200, response.text
        clock = FakeClock(next_fire(self.EXPRESSION, self.TIMEZONE, cron_job.scheduled_since))
        await Ticker(sessions, broker, clock).tick()
        assert await runs_of(sessions, cron_job) == 0


class TestOnetimeTicker:
    async def test_fires_once_at_run_at_and_never_again(
        self, admin: AsyncClient, sessions, broker
    ) -> None:
        run_at = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
        job = await scheduled_job(
            admin, sessions, {"type": "onetime", "run_at": run_at.isoformat()}
        )
        clock = FakeClock(run_at - timedelta(seconds=1))
        ticker = Ticker(sessions, broker, clock)
        await ticker.tick()
        assert await runs_of(sessions, job) == 0
        clock.now = run_at
        await ticker.tick()
        assert await runs_of(sessions, job) == 1
        for later in (timedelta(minutes=1), timedelta(days=1), timedelta(days=400)):
            clock.now = run_at + later
            await ticker.tick()
        assert await runs_of(sessions, job) == 1

    async def test_missed_during_downtime_it_fires_once_later(
        self, admin: AsyncClient, sessions, broker
    ) -> None:
        run_at = datetime.now(UTC) + timedelta(hours=2)
        job = await scheduled_job(
            admin, sessions, {"type": "onetime", "run_at": run_at.isoformat()}
        )
        ticker = Ticker(sessions, broker, FakeClock(run_at + timedelta(hours=5)))
        await ticker.tick()
        await ticker.tick()
        assert await runs_of(sessions, job) == 1


class TestScheduleWindow:
    async def test_an_interval_job_starts_at_its_window_start(
        self, admin: AsyncClient, sessions, broker
    ) -> None:
        start = datetime.now(UTC) + timedelta(days=1)
        job = await scheduled_job(
            admin,
            sessions,
            {"type": "interval", "seconds": INTERVAL, "start_at": start.isoformat()},
        )
        clock = FakeClock(start - timedelta(seconds=1))
        ticker = Ticker(sessions, broker, clock)
        await ticker.tick()
        assert await runs_of(sessions, job) == 0
        clock.now = start
        await ticker.tick()
        assert await runs_of(sessions, job) == 1

    async def test_a_cron_job_stops_at_its_window_end(
        self, admin: AsyncClient, sessions, broker
    ) -> None:
        end = datetime.now(UTC) + timedelta(hours=3)
        job = await scheduled_job(
            admin,
            sessions,
            {
                "type": "cron",
                "expression": "0 * * * *",
                "timezone": "UTC",
                "end_at": end.isoformat(),
            },
        )
        first = next_fire("0 * * * *", "UTC", job.scheduled_since)
        clock = FakeClock(first)
        ticker = Ticker(sessions, broker, clock)
        await ticker.tick()
        assert await runs_of(sessions, job) == 1
        clock.now = end + timedelta(hours=2)
        await ticker.tick()
        assert await runs_of(sessions, job) == 1

    async def test_a_onetime_job_past_its_window_does_not_fire(
        self, admin: AsyncClient, sessions, broker
    ) -> None:
        run_at = datetime.now(UTC) + timedelta(hours=2)
        schedule = {
            "type": "onetime",
            "run_at": run_at.isoformat(),
            "end_at": (run_at + timedelta(minutes=30)).isoformat(),
        }
        job = await scheduled_job(admin, sessions, schedule)
        await Ticker(sessions, broker, FakeClock(run_at + timedelta(hours=1))).tick()
        assert await runs_of(sessions, job) == 0
