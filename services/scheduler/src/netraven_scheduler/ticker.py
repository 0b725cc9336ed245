"""Each tick: find enabled scheduled jobs whose due slot has no run yet, and start it."""

import asyncio
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

import structlog
from faststream.nats import NatsBroker
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_scheduler.slots import Plan, due_slot, slot_run_id
from netraven_shared.db.models import Job, Run
from netraven_shared.operator_log import OperatorLog
from netraven_shared.run_launcher import record_run, request_backups

log = structlog.get_logger()
SCHEDULED = ("interval", "cron", "onetime")


def plan_of(job: Job) -> Plan:
    return Plan(
        job_id=job.id, schedule_type=job.schedule_type, created_at=job.created_at, scheduled_since=job.scheduled_since,
        interval_seconds=job.interval_seconds, cron_expression=job.cron_expression, timezone=job.timezone,
        run_at=job.run_at, start_at=job.start_at, end_at=job.end_at,
    )


def _due(job: Job, now: datetime) -> tuple[Job, UUID] | None:
    try:
        slot = due_slot(plan_of(job), now)
    except Exception:  # one job with an unusable schedule must not stop the others
        log.exception("scheduler.bad_schedule", job_id=str(job.id))
        return None
    return None if slot is None else (job, slot_run_id(job.id, slot))


class Ticker:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], broker: NatsBroker, clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._broker = broker
        self._clock = clock
        self._oplog = OperatorLog(broker, "scheduler")

    async def tick(self) -> int:
        now = self._clock()
        async with self._sessions() as session:
            jobs = list(await session.scalars(select(Job).where(
                Job.enabled, Job.schedule_type.in_(SCHEDULED),
                or_(Job.start_at.is_(None), Job.start_at <= now), or_(Job.end_at.is_(None), Job.end_at > now),
                or_(Job.run_at.is_(None), Job.run_at <= now),
            )))
            due = [found for job in jobs if (found := _due(job, now))]
            existing = set(await session.scalars(select(Run.id).where(Run.id.in_([run_id for _, run_id in due]))))
        fired = 0
        for job, run_id in due:
            if run_id not in existing and await self._fire(job.id, run_id):
                fired += 1
        return fired

    async def _fire(self, job_id: UUID, run_id: UUID) -> bool:
        async with self._sessions() as session:
            job = await session.get(Job, job_id)
            if job is None:  # deleted since this tick looked
                return False
            try:
                run = await record_run(session, job, "schedule", run_id=run_id)
                await session.commit()
            except IntegrityError:
                return False
        await request_backups(self._broker, run, "schedule")
        await self._oplog.emit("info", "job", f"scheduled run of '{job.name}' started for {len(run.results)} devices", job_id=job.id, run_id=run.id)
        log.info("scheduler.fired", job=job.name, run_id=str(run.id), devices=len(run.results))
        return True

    async def run_forever(self, tick_seconds: float) -> None:
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("scheduler.tick_failed")
            await asyncio.sleep(tick_seconds)
