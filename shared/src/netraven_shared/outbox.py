"""The transactional outbox: an event is written as a row in the same transaction as the rows it
announces, so both are committed or neither is. The api's relay (`netraven_api.outbox_relay`)
publishes the rows to JetStream, their `event_id` as `Nats-Msg-Id`, and deletes them.

A process that enqueues should wake the relay once it has committed; otherwise the relay finds the
rows on its next poll.
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Row, Text, any_, bindparam, delete, select, text
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import OutboxMessage
from netraven_shared.events import Event

# One statement for any number of events: the arrays keep its text (and its prepared plan) the same.
_ENQUEUE = text(
    "INSERT INTO outbox (event_id, subject, payload, created_at)"
    " SELECT event_id, subject, payload, :created_at"
    " FROM unnest(CAST(:event_ids AS uuid[]), CAST(:subjects AS text[]),"
    " CAST(:payloads AS jsonb[])) WITH ORDINALITY AS e(event_id, subject, payload, position)"
    " ORDER BY position"
    " ON CONFLICT (event_id) DO NOTHING"
)


async def enqueue(session: AsyncSession, events: Iterable[Event]) -> int:
    """Add `events` to the outbox in `session`'s transaction, in their order; an event id already
    waiting there is kept once. Returns how many rows were written."""
    listed = list(events)
    if listed:
        await session.execute(
            _ENQUEUE,
            {
                "created_at": utc_now(),
                "event_ids": [e.event_id for e in listed],
                "subjects": [e.published_on for e in listed],
                "payloads": [e.model_dump_json() for e in listed],
            },
        )
    return len(listed)


async def lock_pending(session: AsyncSession, limit: int) -> list[Row[Any]]:
    """The oldest rows waiting, locked; rows another relay holds are skipped, not waited for. Each
    row is `id`, `event_id`, `subject`, the payload as JSON text (`enqueue` wrote it from a valid
    event, so it is published as it is) and its `correlation_id`."""
    payload = OutboxMessage.payload
    statement = (
        select(
            OutboxMessage.id,
            OutboxMessage.event_id,
            OutboxMessage.subject,
            sql_cast(payload, Text).label("payload"),
            payload["correlation_id"].astext.label("correlation_id"),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(await session.execute(statement))


async def delete_published(session: AsyncSession, message_ids: list[int]) -> None:
    listed: Any = message_ids
    published = bindparam("published", listed, type_=ARRAY(BigInteger()))
    await session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.id == any_(published))
        .execution_options(synchronize_session=False)
    )
