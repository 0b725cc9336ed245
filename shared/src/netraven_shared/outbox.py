"""The transactional outbox: an event is written as a row in the same transaction as the rows it
announces, so both are committed or neither is. The api's relay (`netraven_api.outbox_relay`)
publishes the rows to JetStream, their `event_id` as `Nats-Msg-Id`, and deletes them.

A process that enqueues should wake the relay once it has committed; otherwise the relay finds the
rows on its next poll.
"""

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.models import OutboxMessage
from netraven_shared.events import ALL_EVENTS, Event

_EVENT_OF_SUBJECT: dict[str, type[Event]] = {event.subject: event for event in ALL_EVENTS}
_ROWS_PER_INSERT = 1000  # asyncpg allows 32,767 parameters per statement


async def enqueue(session: AsyncSession, events: Iterable[Event]) -> int:
    """Add `events` to the outbox in `session`'s transaction; an event id already waiting there is
    kept once. Returns how many rows were written."""
    rows = [
        {"event_id": e.event_id, "subject": e.subject, "payload": e.model_dump(mode="json")}
        for e in events
    ]
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start : start + _ROWS_PER_INSERT]
        await session.execute(
            insert(OutboxMessage).values(chunk).on_conflict_do_nothing(index_elements=["event_id"])
        )
    return len(rows)


async def lock_pending(session: AsyncSession, limit: int) -> list[OutboxMessage]:
    """The oldest rows waiting, locked; rows another relay holds are skipped, not waited for."""
    statement = select(OutboxMessage).order_by(OutboxMessage.id).limit(limit)
    return list(await session.scalars(statement.with_for_update(skip_locked=True)))


async def delete_published(session: AsyncSession, message_ids: list[int]) -> None:
    await session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))


def event_of(message: OutboxMessage) -> Event:
    return _EVENT_OF_SUBJECT[message.subject].model_validate(message.payload)
