"""A run's status follows from its devices' results."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ResultStatus, Run, RunResult, RunStatus

_OPEN = {ResultStatus.QUEUED, ResultStatus.RUNNING}


def status_of(results: list[str]) -> RunStatus:
    if not results or all(s == ResultStatus.QUEUED for s in results):
        return RunStatus.QUEUED
    if any(s in _OPEN for s in results):
        return RunStatus.RUNNING
    if all(s == ResultStatus.SUCCEEDED for s in results):
        return RunStatus.SUCCEEDED
    if all(s == ResultStatus.FAILED for s in results):
        return RunStatus.FAILED
    if all(s == ResultStatus.CANCELLED for s in results):
        return RunStatus.CANCELLED
    return RunStatus.PARTIAL


async def locked_run(session: AsyncSession, run_id: UUID, job_id: UUID | None) -> Run:
    """The run row, locked for this transaction; a run started by another system is created here."""
    await session.execute(
        insert(Run).values(id=run_id, job_id=job_id, trigger="bus", status=RunStatus.QUEUED, created_at=utc_now())
        .on_conflict_do_nothing()
    )
    return await session.scalar(select(Run).where(Run.id == run_id).with_for_update())


async def refresh_run_status(session: AsyncSession, run: Run) -> None:
    await session.flush()
    statuses = list(await session.scalars(select(RunResult.status).where(RunResult.run_id == run.id)))
    run.status = status_of(statuses)
    if run.status != RunStatus.QUEUED and run.started_at is None:
        run.started_at = utc_now()
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        run.finished_at = run.finished_at or utc_now()
