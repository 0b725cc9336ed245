"""The transactional outbox: an event is written as a row in the same transaction as the rows it
announces, so both are committed or neither is. The api's relay (`netraven_api.outbox_relay`)
publishes the rows to JetStream, their `event_id` as `Nats-Msg-Id`, and deletes them.

A process that enqueues should wake the relay once it has committed; otherwise the relay finds the
rows on its next poll.

When tracing is on, the trace context the events were enqueued in is kept beside them, under the
payload's `_trace` key, and the relay publishes each event under it (`tracing.carrier.relaying`):
the dispatch continues the trace of the request or slot that made it. The key never leaves the
outbox: `lock_pending` reads the payload without it.
"""

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Row, Text, TextClause, any_, bindparam, delete, select, text
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import OutboxMessage
from netraven_shared.events import Event
from netraven_shared.tracing.carrier import current_context

TRACE_KEY = "_trace"


def _enqueue(stored_payload: str) -> TextClause:
    """One statement for any number of events: the arrays keep its text (and its prepared plan)
    the same."""
    return text(
        "INSERT INTO outbox (event_id, subject, payload, created_at)"
        f" SELECT event_id, subject, {stored_payload}, :created_at"
        " FROM unnest(CAST(:event_ids AS uuid[]), CAST(:subjects AS text[]),"
        " CAST(:payloads AS jsonb[])) WITH ORDINALITY AS e(event_id, subject, payload, position)"
        " ORDER BY position"
        " ON CONFLICT (event_id) DO NOTHING"
    )


_ENQUEUE = _enqueue("payload")
# each payload with the trace context of the transaction that enqueued it
_ENQUEUE_TRACED = _enqueue(f"payload || jsonb_build_object('{TRACE_KEY}', CAST(:trace AS jsonb))")


async def enqueue(session: AsyncSession, events: Iterable[Event]) -> int:
    """Add `events` to the outbox in `session`'s transaction, in their order; an event id already
    waiting there is kept once. Returns how many rows were written."""
    listed = list(events)
    if listed:
        rows = {
            "created_at": utc_now(),
            "event_ids": [e.event_id for e in listed],
            "subjects": [e.published_on for e in listed],
            "payloads": [e.model_dump_json() for e in listed],
        }
        if trace := current_context():
            await session.execute(_ENQUEUE_TRACED, rows | {"trace": json.dumps(trace)})
        else:
            await session.execute(_ENQUEUE, rows)
    return len(listed)


async def lock_pending(session: AsyncSession, limit: int) -> list[Row[Any]]:
    """The oldest rows waiting, locked; rows another relay holds are skipped, not waited for. Each
    row is `id`, `event_id`, `subject`, the payload as JSON text (`enqueue` wrote it from a valid
    event, so it is published as it is), its `correlation_id` and the trace context it was
    enqueued in (`trace`, a dict, or None)."""
    payload = OutboxMessage.payload
    statement = (
        select(
            OutboxMessage.id,
            OutboxMessage.event_id,
            OutboxMessage.subject,
            sql_cast(payload.op("-")(TRACE_KEY), Text).label("payload"),
            payload["correlation_id"].astext.label("correlation_id"),
            payload[TRACE_KEY].label("trace"),
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
