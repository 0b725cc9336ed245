"""Publish the outbox's rows to JetStream, oldest first, then delete them.

A pass locks a batch with `FOR UPDATE SKIP LOCKED`, so several api replicas relay side by side
without publishing a row twice at once. Each event goes out with its `event_id` as `Nats-Msg-Id`:
a row published but not yet deleted when the api died is published again on restart and
deduplicated by JetStream. It goes out under the trace context kept with its row (`outbox`): the
trace of the request that wrote it goes on. When a publish fails (NATS down), the rows already
published are deleted, the rest stay for the next pass, and passes back off until NATS and
PostgreSQL answer again.

A pass costs three statements and one round trip to JetStream whatever its size: the rows are read
as JSON text (`enqueue` wrote each from a valid event, so nothing is parsed again), published one
after the other without waiting, their acks awaited together, and the acked rows deleted at once.

The relay wakes at once when code in this process has committed rows (`wake`), and otherwise
looks every `poll_seconds` (rows written by another replica, or left by a failed pass).
"""

import asyncio
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

import structlog
from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from nats.js.api import PubAck
from netraven_shared.bus_streams import stream_of
from netraven_shared.outage import PassWatch
from netraven_shared.outbox import delete_published, lock_pending
from netraven_shared.tracing.carrier import relaying
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = structlog.get_logger()

BATCH_SIZE = 500
MAX_BACKOFF_SECONDS = 30.0
ACK_SECONDS = 10.0


class OutboxRelay:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        broker: NatsBroker,
        poll_seconds: float = 1.0,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self._sessions = sessions
        self._broker = broker
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._bell = asyncio.Event()

    def wake(self) -> None:
        """Call after committing outbox rows: the relay publishes them now rather than at its next
        poll."""
        self._bell.set()

    async def relay_once(self) -> int:
        """Publish one batch of pending rows and delete them; returns how many were published."""
        async with self._sessions() as session:
            pending = await lock_pending(session, self._batch_size)
            published, failure = await self._publish(pending)
            if published:
                await delete_published(session, published)
            await session.commit()
        if failure is not None:
            raise failure
        return len(published)

    async def _publish(self, rows: Sequence[Row[Any]]) -> tuple[list[int], BaseException | None]:
        """Send `rows` in order, then wait for their acks together: the ids JetStream acked, and
        why the others were not (None when all were)."""
        js: JetStreamContext = self._broker.config.connection_state.stream
        sent: list[tuple[int, asyncio.Future[PubAck]]] = []
        failure: BaseException | None = None
        try:
            for row in rows:
                headers = {
                    "content-type": "application/json",
                    "correlation_id": row.correlation_id,
                    "Nats-Msg-Id": str(row.event_id),
                }
                with relaying(row.trace, row.subject, headers):
                    acked = await js.publish_async(
                        row.subject,
                        row.payload.encode(),
                        stream=stream_of(row.subject),
                        headers=headers,
                    )
                sent.append((row.id, acked))
        except Exception as error:  # noqa: BLE001  (what was sent is still awaited and deleted)
            failure = error
        if sent:
            _, late = await asyncio.wait([acked for _, acked in sent], timeout=ACK_SECONDS)
            for acked in late:
                acked.cancel()
        published: list[int] = []
        for row_id, acked in sent:
            if acked.cancelled():
                failure = failure or TimeoutError(f"no ack from JetStream within {ACK_SECONDS} s")
            elif (refused := acked.exception()) is not None:
                failure = failure or refused
            else:
                published.append(row_id)
        return published, failure

    async def run_forever(self) -> None:
        """Relay until cancelled. A failed pass (PostgreSQL or NATS away) is tried again after a
        growing delay, or at once when this process commits new rows, which means the database is
        back."""
        watch = PassWatch("api: outbox relay")
        failures = 0
        while True:
            self._bell.clear()
            try:
                published = await self.relay_once()
            except Exception as error:  # noqa: BLE001  (the loop outlives any failure; watch logs it)
                watch.failed(error)
                failures += 1
                await self._rung_within(min(MAX_BACKOFF_SECONDS, 0.5 * 2**failures))
                continue
            watch.succeeded()
            failures = 0
            if published < self._batch_size:
                await self._rung_within(self._poll_seconds)

    async def _rung_within(self, seconds: float) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._bell.wait(), seconds)
