from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.models import Job, Run, RunResult


async def run_with_job_name(session: AsyncSession, run_id: UUID) -> tuple[Run, str | None] | None:
    row = (await session.execute(
        select(Run, Job.name).outerjoin(Job, Job.id == Run.job_id).where(Run.id == run_id)
    )).first()
    return (row[0], row[1]) if row else None


async def list_runs(
    session: AsyncSession, job_id: UUID | None, status: str | None, limit: int, offset: int, text: str | None = None,
) -> tuple[list[tuple[Run, str | None]], int]:
    statement = select(Run, Job.name).outerjoin(Job, Job.id == Run.job_id)
    if job_id:
        statement = statement.where(Run.job_id == job_id)
    if status:
        statement = statement.where(Run.status == status)
    if text:
        touched = select(RunResult.run_id).where(RunResult.hostname.icontains(text, autoescape=True))
        statement = statement.where(or_(Job.name.icontains(text, autoescape=True), Run.id.in_(touched)))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.execute(statement.order_by(Run.created_at.desc()).limit(limit).offset(offset))
    return [(row[0], row[1]) for row in rows], total or 0
