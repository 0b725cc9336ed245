"""The queries on runs and their per-device results. A run's results are loaded only where a query
names them (`Run.results` is `lazy="raise"`); its tallies are counted in SQL."""

from datetime import datetime
from uuid import UUID

from netraven_shared.db.models import Job, ResultStatus, Run, RunResult
from sqlalchemy import exists, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload


async def get_run(session: AsyncSession, run_id: UUID) -> Run | None:
    return await session.get(Run, run_id)


async def run_with_job_name(session: AsyncSession, run_id: UUID) -> tuple[Run, str | None] | None:
    """The run with its results, and its job's name."""
    row = (
        await session.execute(
            select(Run, Job.name)
            .outerjoin(Job, Job.id == Run.job_id)
            .where(Run.id == run_id)
            .options(selectinload(Run.results))
        )
    ).first()
    return (row[0], row[1]) if row else None


async def list_runs(
    session: AsyncSession,
    job_id: UUID | None,
    status: str | None,
    limit: int,
    offset: int,
    text: str | None = None,
) -> tuple[list[tuple[Run, str | None]], int]:
    statement = select(Run, Job.name).outerjoin(Job, Job.id == Run.job_id)
    if job_id:
        statement = statement.where(Run.job_id == job_id)
    if status:
        statement = statement.where(Run.status == status)
    if text:
        touched = select(RunResult.run_id).where(
            RunResult.hostname.icontains(text, autoescape=True)
        )
        statement = statement.where(
            or_(Job.name.icontains(text, autoescape=True), Run.id.in_(touched))
        )
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.execute(
        statement.order_by(Run.created_at.desc()).limit(limit).offset(offset)
    )
    return [(row[0], row[1]) for row in rows], total or 0


async def lock_run(
    session: AsyncSession, run_id: UUID, *, with_results: bool = False
) -> Run | None:
    """The run row, locked for this transaction (with its results read afresh, when asked)."""
    statement = select(Run).where(Run.id == run_id).with_for_update()
    if with_results:
        statement = statement.options(selectinload(Run.results)).execution_options(
            populate_existing=True
        )
    return await session.scalar(statement)


async def lock_runs(session: AsyncSession, run_ids: list[UUID]) -> list[Run]:
    """Lock the runs in id order: two transactions locking several never wait crosswise."""
    return list(
        await session.scalars(
            select(Run).where(Run.id.in_(run_ids)).order_by(Run.id).with_for_update()
        )
    )


async def load_results(session: AsyncSession, keys: list[tuple[UUID, UUID]]) -> list[RunResult]:
    """The results of these (run, device) pairs, read afresh."""
    statement = select(RunResult).where(tuple_(RunResult.run_id, RunResult.device_id).in_(keys))
    return list(await session.scalars(statement.execution_options(populate_existing=True)))


async def get_result(session: AsyncSession, run_id: UUID, device_id: UUID) -> RunResult | None:
    return await session.get(RunResult, (run_id, device_id), populate_existing=True)


async def has_results(session: AsyncSession, run_id: UUID) -> bool:
    return bool(await session.scalar(select(exists().where(RunResult.run_id == run_id))))


async def result_statuses(session: AsyncSession, run_id: UUID) -> list[str]:
    """The distinct statuses among the run's results."""
    return list(
        await session.scalars(select(RunResult.status).where(RunResult.run_id == run_id).distinct())
    )


async def result_tallies(session: AsyncSession, run_id: UUID) -> tuple[int, int, int]:
    """How many results the run has, and how many of them succeeded and failed."""
    devices, succeeded, failed = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(RunResult.status == ResultStatus.SUCCEEDED),
                func.count().filter(RunResult.status == ResultStatus.FAILED),
            ).where(RunResult.run_id == run_id)
        )
    ).one()
    return devices, succeeded, failed


async def silent_results(
    session: AsyncSession, updated_before: datetime, limit: int
) -> list[RunResult]:
    """Results still queued or running with no news since `updated_before`."""
    return list(
        await session.scalars(
            select(RunResult)
            .where(
                RunResult.status.in_([ResultStatus.QUEUED, ResultStatus.RUNNING]),
                RunResult.updated_at < updated_before,
            )
            .limit(limit)
        )
    )
