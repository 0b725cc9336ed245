"""Catch what the bus dropped: results left queued or running past their deadline.

PostgreSQL is the record of every run. A result with no news for `deadline` seconds (a message
lost in a broker crash, a worker that vanished) is dispatched once more, through the outbox in the
transaction that counts the request; if that also goes unanswered, it fails with a reason an
operator can act on. Time the database was unreachable does not count: after an outage every result
gets a whole deadline again, since nothing could have reported meanwhile.
"""

import asyncio
import time
from datetime import timedelta
from functools import partial

import structlog
from faststream.nats import NatsBroker
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ResultStatus
from netraven_shared.operator_log import OperatorLog
from netraven_shared.outage import PassWatch
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.outbox_relay import OutboxRelay
from netraven_api.runs.launcher import DeviceRequest, dispatch
from netraven_api.runs.progress import locked_run, refresh_run_status
from netraven_api.runs.repository import silent_results
from netraven_api.unit_of_work import unit_of_work

log = structlog.get_logger()
MAX_REQUESTS = 2
BATCH = 500


async def reconcile_once(
    sessions: async_sessionmaker[AsyncSession],
    broker: NatsBroker,
    relay: OutboxRelay,
    deadline: timedelta,
) -> int:
    oplog = OperatorLog(broker, "api")
    async with unit_of_work(sessions) as work:
        session = work.session
        stale = await silent_results(session, utc_now() - deadline, BATCH)
        for result in stale:
            run = await locked_run(session, result.run_id)
            result.updated_at = utc_now()
            ids = {"run_id": run.id, "job_id": run.job_id, "device_id": result.device_id}
            if result.requests < MAX_REQUESTS:
                result.requests += 1
                request = DeviceRequest(result.device_id, result.requests)
                await dispatch(session, run, [request], "reconciler")
                message = (
                    f"{result.hostname}: no result after {deadline.total_seconds():.0f} s; "
                    "requesting the backup again"
                )
                work.after_commit(partial(oplog.emit, "warning", "job", message, **ids))
                continue
            result.status, result.finished_at = ResultStatus.FAILED, utc_now()
            result.error = (
                f"no result after {result.requests} requests: "
                "check that workers are running and can reach NATS"
            )
            await refresh_run_status(session, run)
            message = f"{result.hostname}: {result.error}"
            work.after_commit(partial(oplog.emit, "error", "job", message, **ids))
        if stale:
            work.after_commit(relay.wake)
    return len(stale)


async def reconcile_forever(
    sessions: async_sessionmaker[AsyncSession],
    broker: NatsBroker,
    relay: OutboxRelay,
    deadline: timedelta,
    interval: float,
) -> None:
    watch = PassWatch("api: reconciler")
    patient_until = 0.0
    while True:
        try:
            if watch.away:
                # While the database was away no result could move, and the services held their
                # messages: give every result a whole deadline from now before calling it silent.
                await _database_answers(sessions)
                patient_until = time.monotonic() + deadline.total_seconds()
                log.info("reconciler.patient_after_outage", seconds=deadline.total_seconds())
            elif time.monotonic() >= patient_until and (
                found := await reconcile_once(sessions, broker, relay, deadline)
            ):
                log.info("reconciler.stale_results", count=found)
        except Exception as error:  # noqa: BLE001  (the loop outlives any failure; watch logs it)
            watch.failed(error)
        else:
            watch.succeeded()
        await asyncio.sleep(interval)


async def _database_answers(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        await session.execute(select(1))
