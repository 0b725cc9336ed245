from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from netraven_shared.db.models import AuditEntry
from netraven_shared.retention import delete_oldest
from sqlalchemy import ColumnElement, Select, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Position:
    """Where a page ended: entries strictly older than (at, id) come next."""

    at: datetime
    id: int

    def cursor(self) -> str:
        return f"{(self.at - _EPOCH) // _MICROSECOND}-{self.id}"

    @classmethod
    def parse(cls, cursor: str) -> "Position":
        micros, _, row_id = cursor.partition("-")
        return cls(_EPOCH + timedelta(microseconds=int(micros)), int(row_id))


def _filtered(where: AuditFilter) -> Select:
    statement = select(AuditEntry)
    if where.actor is not None:
        statement = statement.where(_actor_is(where.actor))
    if where.action is not None:
        statement = statement.where(AuditEntry.action.startswith(where.action, autoescape=True))
    for column in ("object_type", "object_id", "outcome"):
        value = getattr(where, column)
        if value is not None:
            statement = statement.where(getattr(AuditEntry, column) == value)
    if where.since is not None:
        statement = statement.where(AuditEntry.at >= where.since)
    if where.until is not None:
        statement = statement.where(AuditEntry.at < where.until)
    return statement


def _actor_is(actor: str) -> ColumnElement[bool]:
    try:
        return AuditEntry.actor_id == UUID(actor)
    except ValueError:
        return AuditEntry.actor_name == actor


async def page_of_entries(
    session: AsyncSession, where: AuditFilter, before: Position | None, limit: int
) -> list[AuditEntry]:
    """Newest first, keyset-paginated on (at, id): a page costs the same however deep it is."""
    statement = _filtered(where)
    if before is not None:
        statement = statement.where(
            tuple_(AuditEntry.at, AuditEntry.id) < tuple_(before.at, before.id)
        )
    return list(
        await session.scalars(
            statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
        )
    )


async def delete_older_than(session: AsyncSession, cutoff: datetime, limit: int) -> int:
    """Delete at most `limit` of the oldest entries from before `cutoff`; how many went."""
    return await delete_oldest(session, AuditEntry, AuditEntry.at, cutoff, limit)
