from dataclasses import dataclass
from datetime import datetime

from netraven_shared.db.models import RejectedEvent
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class RejectionFilter:
    subject: str | None = None
    identity: str | None = None
    service: str | None = None


async def page_of_rejections(
    session: AsyncSession, where: RejectionFilter, before_id: int | None, limit: int
) -> list[RejectedEvent]:
    """Newest first, keyset-paginated on id."""
    statement = select(RejectedEvent)
    for column, value in (
        ("rejected_subject", where.subject),
        ("identity", where.identity),
        ("service", where.service),
    ):
        if value is not None:
            statement = statement.where(getattr(RejectedEvent, column) == value)
    if before_id is not None:
        statement = statement.where(RejectedEvent.id < before_id)
    return list(await session.scalars(statement.order_by(RejectedEvent.id.desc()).limit(limit)))


async def counts_by_subject_and_identity(
    session: AsyncSession, since: datetime | None
) -> list[tuple[str, str | None, int, datetime]]:
    """(subject, identity, count, newest) per pair, most rejections first."""
    count = func.count().label("count")
    statement = select(
        RejectedEvent.rejected_subject,
        RejectedEvent.identity,
        count,
        func.max(RejectedEvent.occurred_at),
    )
    if since is not None:
        statement = statement.where(RejectedEvent.occurred_at >= since)
    statement = statement.group_by(RejectedEvent.rejected_subject, RejectedEvent.identity)
    statement = statement.order_by(count.desc(), RejectedEvent.rejected_subject)
    rows = await session.execute(statement)
    return [(subject, identity, total, newest) for subject, identity, total, newest in rows]
