"""Publish the outbox's rows to JetStream, oldest first, then delete them.

A pass locks a batch with `FOR UPDATE SKIP LOCKED`, so several api replicas relay side by side
without publishing a row twice at once. Each event goes out with its `event_id` as `Nats-Msg-Id`:
a row published but not yet deleted when the api died is published again on restart and
deduplicated by JetStream. When a publish fails (NATS down), the rows already published are
deleted, the rest stay for the next pass, and passes back off until NATS and PostgreSQL answer again.

The relay wakes at once when code in this process has committed rows (`wake`), and otherwise
looks every `poll_seconds` (rows written by another replica, or left by a failed pass).
"""

import asyncio
from contextlib import suppress

import structlog
from faststream.nats import NatsBroker
from netraven_shared.messaging import publish_event
from netraven_shared.outage import PassWatch
from netraven_shared.outbox import delete_published, event_of, lock_pending
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = structlog.get_logger()

BATCH_SIZE = 500
MAX_BACKOFF_SECONDS = 30.0


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
        """Call after committing outbox rows: the relay publishes them now rather than at its next poll."""
        self._bell.set()

    async def relay_once(self) -> int:
        """Publish one batch of pending rows and delete them; returns how many were published."""
        async with self._sessions() as session:
            pending = await lock_pending(session, self._batch_size)
            published: list[int] = []
            try:
                for message in pending:
                    await publish_event(self._broker, event_of(message))
                    published.append(message.id)
            finally:
                if published:
                    await delete_published(session, published)
                await session.commit()
        return len(published)

    async def run_forever(self) -> None:
        """Relay until cancelled. A failed pass (PostgreSQL or NATS away) is tried again after a growing
        delay, or at once when this process commits new rows, which means the database is back."""
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
