from uuid import UUID

import structlog
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ResultStatus, Run, RunStatus
from netraven_shared.errors import Conflict, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.runs import repository

log = structlog.get_logger()


async def cancel_run(session: AsyncSession, run_id: UUID, username: str) -> Run:
    """Cancel a run no worker has touched yet; workers skip requests for cancelled results.

    The run row is locked as the recorder locks it, so a worker's start and this cancel never
    interleave.
    """
    run = await repository.lock_run(session, run_id, with_results=True)
    if run is None:
        raise NotFound(f"no run with id {run_id}")
    if run.status == RunStatus.CANCELLED:
        raise Conflict("the run is already cancelled")
    if run.status != RunStatus.QUEUED or any(r.status != ResultStatus.QUEUED for r in run.results):
        raise Conflict(
            f"the run has already started (status {run.status}): only a queued run can be cancelled"
        )
    now = utc_now()
    for result in run.results:
        result.status, result.error = ResultStatus.CANCELLED, f"cancelled by {username}"
        result.finished_at = result.updated_at = now
    run.status, run.finished_at = RunStatus.CANCELLED, now
    await session.flush()
    log.info("run.cancelled", run_id=str(run.id), job_id=str(run.job_id), by=username)
    return run
