"""Answer the scheduler's `START_RUN` requests: the api, the one writer of runs, starts a slot's
run.

The run's id is derived from the job and the slot, and the run, its results and its dispatches are
committed together, so two schedulers asking for one slot (or one asking again after losing the
reply) make one run. Every api replica answers in the queue group "api": one of them takes each
request. A request that is not a `StartRunRequest` is answered at once with the outcome `error` (and
recorded).
"""

import structlog
from faststream.nats import NatsBroker, NatsRouter
from netraven_shared.events import subjects
from netraven_shared.events.run_rpc import StartRunReply, StartRunRequest
from netraven_shared.refused_requests import answering_bad_requests
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.inventory_sources.job_runs import InventorySyncer
from netraven_api.jobs import repository as jobs_repository
from netraven_api.outbox_relay import OutboxRelay
from netraven_api.runs import repository as runs_repository
from netraven_api.runs.launcher import start_any_job_run
from netraven_api.unit_of_work import unit_of_work

log = structlog.get_logger()
SCHEDULED = ("interval", "cron", "onetime")


async def start_slot_run(
    session: AsyncSession, request: StartRunRequest, syncer: InventorySyncer
) -> StartRunReply:
    """The slot's run and its dispatches, flushed in `session`'s transaction (when `created`)."""
    job = await jobs_repository.job_without_targets(session, request.job_id)
    if job is None:
        return StartRunReply(outcome="refused", reason=f"no job with id {request.job_id}")
    if not job.enabled:
        return StartRunReply(outcome="refused", reason=f"job '{job.name}' is disabled")
    if job.schedule_type not in SCHEDULED:
        return StartRunReply(
            outcome="refused", reason=f"job '{job.name}' has no schedule ({job.schedule_type})"
        )
    if await runs_repository.get_run(session, request.run_id) is not None:
        return StartRunReply(outcome="existed", run_id=request.run_id)
    run = await start_any_job_run(session, job, "schedule", syncer, run_id=request.run_id)
    return StartRunReply(outcome="created", run_id=run.id, devices=run.device_count)


def register_start_run(
    broker: NatsBroker,
    sessions: async_sessionmaker[AsyncSession],
    relay: OutboxRelay,
    syncer: InventorySyncer,
) -> None:
    router = NatsRouter(
        middlewares=[
            answering_bad_requests(
                lambda reason: StartRunReply(outcome="error", reason=reason[:500])
            )
        ]
    )

    @router.subscriber(subjects.START_RUN, queue="api", title="api/start-run")
    async def on_start_run(request: StartRunRequest) -> StartRunReply:
        try:
            async with unit_of_work(sessions) as work:
                reply = await start_slot_run(work.session, request, syncer)
                if reply.outcome == "created":
                    work.after_commit(relay.wake)
        except IntegrityError:  # another api replica committed the same slot's run first
            return StartRunReply(outcome="existed", run_id=request.run_id)
        if reply.outcome == "created":
            log.info(
                "runs.slot_started",
                job_id=str(request.job_id),
                run_id=str(reply.run_id),
                devices=reply.devices,
            )
        return reply

    broker.include_router(router)
