"""Messages the services refused (recorded by log-collector from `EventRejected`), for admins."""

from datetime import UTC, datetime

from netraven_shared.errors import InvalidInput
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.bus import repository
from netraven_api.bus.repository import RejectionFilter
from netraven_api.bus.schemas import RejectionGroup, RejectionOut, RejectionPage, RejectionSummary


async def list_rejections(
    session: AsyncSession, where: RejectionFilter, before_id: int | None, limit: int
) -> RejectionPage:
    rows = await repository.page_of_rejections(session, where, before_id, limit)
    return RejectionPage(
        items=[RejectionOut.model_validate(row, from_attributes=True) for row in rows],
        next_before=rows[-1].id if len(rows) == limit else None,
    )


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError as error:
        raise InvalidInput("time out of range", detail=moment.isoformat()) from error


async def summarize(session: AsyncSession, since: datetime | None) -> RejectionSummary:
    since = _utc(since) if since is not None else None
    groups = [
        RejectionGroup(rejected_subject=subject, identity=identity, count=count, last_at=last_at)
        for subject, identity, count, last_at in await repository.counts_by_subject_and_identity(
            session, since
        )
    ]
    return RejectionSummary(total=sum(group.count for group in groups), groups=groups)
