"""How a `BatchConsumer` pulls its batches: the first messages to arrive, topped up until a window
closes; a failed fetch logged once while NATS stays away; and the stragglers.

A nats-py fetch's pull request can outlive the fetch: the server starts its expiry when the request
arrives, and a message it sends just before may still be unread when the client's timer fires. Such
a straggler waits in the subscription's queue, delivered yet in no batch, so while a batch is held
through an outage nothing keeps it alive: its ack wait runs out and it is redelivered. `stragglers`
takes it in, so the consumer keeps it alive with the batch in hand and writes it first next time.
"""

import asyncio
import time
from contextlib import suppress

import nats.errors
import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from netraven_shared.outage import is_outage

log = structlog.get_logger()

FETCH_SECONDS = 1.0
SHORTEST_FETCH_SECONDS = 0.05  # nats-py turns a much shorter fetch into a negative expiry
_EMPTY_FETCH = (asyncio.TimeoutError, nats.errors.TimeoutError)


class BatchPull:
    def __init__(
        self,
        subscription: JetStreamContext.PullSubscription,
        durable: str,
        max_batch: int,
        window_seconds: float,
    ) -> None:
        self._subscription = subscription
        self._durable = durable
        self._max_batch = max_batch
        self._window = window_seconds
        self._fetch_failing = False
        self._stragglers: list[Msg] = []

    async def collect(self) -> list[Msg]:
        """The stragglers taken in, or else the first messages to arrive; topped up until the window
        closes or the batch is full."""
        messages = self._stragglers[: self._max_batch]
        del self._stragglers[: self._max_batch]
        if not messages:
            messages = await self._fetch(self._max_batch, FETCH_SECONDS)
        closes = time.monotonic() + self._window
        while (
            messages and len(messages) < self._max_batch and (left := closes - time.monotonic()) > 0
        ):
            more = await self._fetch(
                self._max_batch - len(messages), max(left, SHORTEST_FETCH_SECONDS)
            )
            if not more:
                break
            messages += more
        return messages

    async def stragglers(self) -> list[Msg]:
        """Every message delivered after its fetch returned and not yet in a batch."""
        # nats-py reads its queue only inside a fetch, which would also pull new messages
        queue = self._subscription._sub
        with suppress(nats.errors.Error):
            while queue.pending_msgs:
                message = await queue.next_msg(timeout=FETCH_SECONDS)
                if not JetStreamContext.is_status_msg(message):
                    self._stragglers.append(message)
        return list(self._stragglers)

    async def _fetch(self, count: int, timeout: float) -> list[Msg]:
        """What arrived within `timeout`; nothing on an empty fetch or a failed one (logged once
        while NATS stays away; an unexpected failure every time)."""
        try:
            messages = await self._subscription.fetch(count, timeout=timeout)
        except _EMPTY_FETCH:
            return []
        except Exception as error:
            if not is_outage(error):
                log.exception("batch_consumer.fetch_failed", durable=self._durable)
            elif not self._fetch_failing:
                log.warning(
                    "batch_consumer.fetch_failed",
                    durable=self._durable,
                    error=f"{type(error).__name__}: {error}",
                )
            self._fetch_failing = True
            await asyncio.sleep(1)
            return []
        self._fetch_failing = False
        return messages
