"""The queries on jobs, and the run counts the dashboard's summary shows beside them."""

from datetime import datetime
from uuid import UUID

from netraven_shared.db.models import Job, Run
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload


async def get_job(session: AsyncSession, job_id: UUID) -> Job | None:
    return await session.get(Job, job_id)


async def job_without_targets(session: AsyncSession, job_id: UUID) -> Job | None:
    """The job with its columns only, for a run's start: its devices and tags (thousands of rows,
    read by `runs.repository.job_targets` as columns) are not loaded, and reading them raises. A
    job this session already holds is returned as it is."""
    return await session.get(Job, job_id, options=[raiseload(Job.devices), raiseload(Job.tags)])


async def list_jobs(session: AsyncSession) -> list[Job]:
    return list(await session.scalars(select(Job).order_by(Job.name)))


async def name_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> bool:
    statement = select(Job.id).where(Job.name == name)
    if except_id is not None:
        statement = statement.where(Job.id != except_id)
    return await session.scalar(statement) is not None


async def count_jobs(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Job)) or 0


async def run_counts_by_status(session: AsyncSession, since: datetime) -> dict[str, int]:
    """How many runs started since `since` are in each status."""
    rows = await session.execute(
        select(Run.status, func.count()).where(Run.created_at >= since).group_by(Run.status)
    )
    return {status: count for status, count in rows.all()}
