from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from netraven_shared.db.models import LogEntry
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class LogFilter:
    job_id: UUID | None = None
    run_id: UUID | None = None
    device_id: UUID | None = None
    level: str | None = None
    log_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None


def _filtered(where: LogFilter, statement: Select | None = None) -> Select:
    statement = select(LogEntry) if statement is None else statement
    for column in ("job_id", "run_id", "device_id", "level", "log_type"):
        value = getattr(where, column)
        if value is not None:
            statement = statement.where(getattr(LogEntry, column) == value)
    if where.since is not None:
        statement = statement.where(LogEntry.timestamp >= where.since)
    if where.until is not None:
        statement = statement.where(LogEntry.timestamp < where.until)
    if where.text:
        statement = statement.where(LogEntry.message.icontains(where.text, autoescape=True))
    return statement


async def page_of_logs(
    session: AsyncSession, where: LogFilter, before_id: int | None, limit: int
) -> list[LogEntry]:
    """Newest first, keyset-paginated on id: a page costs the same however deep it is."""
    statement = _filtered(where)
    if before_id is not None:
        statement = statement.where(LogEntry.id < before_id)
    return list(await session.scalars(statement.order_by(LogEntry.id.desc()).limit(limit)))


async def logs_after(
    session: AsyncSession, where: LogFilter, after_id: int, limit: int
) -> list[LogEntry]:
    """Oldest first, strictly after `after_id`: what a live stream sends next."""
    statement = _filtered(where).where(LogEntry.id > after_id)
    return list(await session.scalars(statement.order_by(LogEntry.id).limit(limit)))


async def newest_log_id(session: AsyncSession) -> int:
    return await session.scalar(select(func.max(LogEntry.id))) or 0


async def counts_by(session: AsyncSession, column: str, where: LogFilter) -> dict[str, int]:
    """How many entries matching `where` have each value of `column` (level or log_type)."""
    field = getattr(LogEntry, column)
    statement = _filtered(where, select(field, func.count()).select_from(LogEntry)).group_by(field)
    return {value: count for value, count in await session.execute(statement)}
