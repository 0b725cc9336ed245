"""Each tick: find enabled scheduled jobs whose due slot has no run yet, and ask the api to start
it.

The scheduler only reads PostgreSQL. The api is the one writer of runs: it records the slot's run
and its dispatches in one transaction and replies. When the api does not answer, no run exists, so
the slot is still due and is asked for again on the next tick.
"""

import asyncio
from collections.abc import Callable
from datetime import datetime

import structlog
from faststream.nats import NatsBroker
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from netraven_shared.db.models import Job, Run
from netraven_shared.events import subjects
from netraven_shared.events.run_rpc import StartRunReply, StartRunRequest
from netraven_shared.operator_log import OperatorLog
from netraven_shared.outage import PassWatch
from netraven_shared.tracing.carrier import spanned
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import raiseload

from netraven_scheduler.slots import Plan, due_slot

log = structlog.get_logger()
SCHEDULED = ("interval", "cron", "onetime")
API_TIMEOUT_SECONDS = 10.0


def plan_of(job: Job) -> Plan:
    return Plan(
        job_id=job.id,
        schedule_type=job.schedule_type,
        created_at=job.created_at,
        scheduled_since=job.scheduled_since,
        interval_seconds=job.interval_seconds,
        cron_expression=job.cron_expression,
        timezone=job.timezone,
        run_at=job.run_at,
        start_at=job.start_at,
        end_at=job.end_at,
    )


def _due(job: Job, now: datetime) -> tuple[Job, StartRunRequest] | None:
    try:
        slot = due_slot(plan_of(job), now)
    except Exception:  # one job with an unusable schedule must not stop the others
        log.exception("scheduler.bad_schedule", job_id=str(job.id))
        return None
    return None if slot is None else (job, StartRunRequest(job_id=job.id, slot=slot))


class Ticker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        broker: NatsBroker,
        clock: Callable[[], datetime],
    ) -> None:
        self._sessions = sessions
        self._broker = broker
        self._clock = clock
        self._oplog = OperatorLog(broker, "scheduler")

    async def tick(self) -> int:
        """Ask for every due slot that has no run yet; returns how many runs the api created."""
        now = self._clock()
        async with self._sessions() as session:
            # A job's devices and tags are not the scheduler's to read (its database role cannot).
            jobs = list(
                await session.scalars(
                    select(Job)
                    .options(raiseload("*"))
                    .where(
                        Job.enabled,
                        Job.schedule_type.in_(SCHEDULED),
                        or_(Job.start_at.is_(None), Job.start_at <= now),
                        or_(Job.end_at.is_(None), Job.end_at > now),
                        or_(Job.run_at.is_(None), Job.run_at <= now),
                    )
                )
            )
            due = [found for job in jobs if (found := _due(job, now))]
            existing = set(
                await session.scalars(
                    select(Run.id).where(Run.id.in_([request.run_id for _, request in due]))
                )
            )
        fired = 0
        for job, request in due:
            if request.run_id not in existing and await self._fire(job, request):
                fired += 1
        return fired

    async def _fire(self, job: Job, request: StartRunRequest) -> bool:
        """Ask the api for the slot's run; its trace starts here, as `scheduler.slot`."""
        with spanned("scheduler.slot", job_id=job.id, run_id=request.run_id):
            return await self._ask(job, request)

    async def _ask(self, job: Job, request: StartRunRequest) -> bool:
        try:
            response = await self._broker.request(
                request, subjects.START_RUN, timeout=API_TIMEOUT_SECONDS
            )
        except (NoRespondersError, NatsTimeout, TimeoutError) as error:
            log.warning(
                "scheduler.api_unreachable",
                job_id=str(job.id),
                run_id=str(request.run_id),
                error=type(error).__name__,
                retry="next tick",
            )
            return False
        reply = StartRunReply.model_validate_json(response.body)
        if reply.outcome != "created":
            log.info(
                "scheduler.not_started",
                job_id=str(job.id),
                outcome=reply.outcome,
                reason=reply.reason,
            )
            return False
        await self._oplog.emit(
            "info",
            "job",
            f"scheduled run of '{job.name}' started for {reply.devices} devices",
            job_id=job.id,
            run_id=reply.run_id,
        )
        log.info("scheduler.fired", job=job.name, run_id=str(reply.run_id), devices=reply.devices)
        return True

    async def run_forever(self, tick_seconds: float) -> None:
        """Tick until cancelled; while PostgreSQL is away every tick fails quietly, and the first
        one after it is back fires what fell due meanwhile."""
        watch = PassWatch("scheduler: due slots")
        while True:
            try:
                await self.tick()
            except Exception as error:  # noqa: BLE001  (the loop outlives any failure; watch logs it)
                watch.failed(error)
            else:
                watch.succeeded()
            await asyncio.sleep(tick_seconds)
