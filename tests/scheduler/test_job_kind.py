"""A scheduled job of kind `reachability` starts reachability runs, like backups start backup
runs."""

from datetime import timedelta
from uuid import UUID

from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_scheduler.ticker import Ticker
from netraven_shared.db.models import Job, Run
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_device, unique


class TestScheduledReachability:
    async def test_a_due_reachability_job_starts_a_reachability_run(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession], broker: NatsBroker
    ) -> None:
        device = await create_device(admin, 22, unique("sched-reach"))
        body = {
            "name": unique("ping-hourly"),
            "kind": "reachability",
            "device_ids": [device["id"]],
            "schedule": {"type": "interval", "seconds": 3600},
        }
        job_id = UUID((await admin.post("/api/jobs", json=body)).json()["id"])
        async with sessions() as session:
            created_at = (await session.get(Job, job_id)).created_at
        await Ticker(sessions, broker, lambda: created_at + timedelta(seconds=1)).tick()
        async with sessions() as session:
            kinds = list(
                await session.scalars(
                    select(Run.kind).where(Run.job_id == job_id, Run.trigger == "schedule")
                )
            )
        assert kinds == ["reachability"]
