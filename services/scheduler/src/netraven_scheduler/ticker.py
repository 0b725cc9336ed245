"""Each tick: find enabled interval jobs whose current slot has no run yet, and start it."""

import asyncio
from collections.abc import Callable
from datetime import datetime

import structlog
from faststream.nats import NatsBroker
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_scheduler.slots import current_slot, slot_run_id
from netraven_shared.db.models import Job, Run
from netraven_shared.operator_log import OperatorLog
from netraven_shared.run_launcher import record_run, request_backups

log = structlog.get_logger()


class Ticker:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], broker: NatsBroker, clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._broker = broker
        self._clock = clock
        self._oplog = OperatorLog(broker, "scheduler")

    async def tick(self) -> int:
        now = self._clock()
        async with self._sessions() as session:
            jobs = list(await session.scalars(select(Job).where(Job.enabled, Job.schedule_type == "interval")))
            due = [(job, slot_run_id(job.id, current_slot(job.created_at, job.interval_seconds, now))) for job in jobs]
            existing = set(await session.scalars(select(Run.id).where(Run.id.in_([run_id for _, run_id in due]))))
        fired = 0
        for job, run_id in due:
            if run_id not in existing and await self._fire(job.id, run_id):
                fired += 1
        return fired

    async def _fire(self, job_id, run_id) -> bool:
        async with self._sessions() as session:
            job = await session.get(Job, job_id)
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
