"""How a `BatchConsumer` pulls its batches: the first messages to arrive, topped up until a window
closes; a failed pull request logged once while NATS stays away; and the stragglers.

Messages arrive through `PullRequests`' callback into one list, and `collect` waits for that list
with one event and one timeout per wait, not a task and a timer per message as nats-py's `fetch`
does (8-13 % of each consumer's CPU in the P2 benchmark).

One pull request is open at a time, for no more than the batch lacks, so never more than
`max_batch` messages are delivered and unacked here. A request can outlive the `collect` that sent
it: what it delivers while the consumer writes waits in the list, delivered yet in no batch. Held
through an outage, such a straggler would see its ack wait run out and be redelivered; so
`stragglers` names them, the consumer keeps them alive with the batch in hand, and `collect` takes
them first next time.
"""

import asyncio
import time
from contextlib import suppress

import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from netraven_shared.outage import is_outage
from netraven_shared.pull_requests import PullRequests

log = structlog.get_logger()

FETCH_SECONDS = 1.0  # how long a pull request waits on the server for messages
GRACE_SECONDS = 1.0  # then its end (a 408) is waited for this much longer
PAUSE_SECONDS = 1.0  # after a failed or refused request, before the next one
_OVER = ("404", "408")  # no messages now; expired
_REFUSED = "409"  # too many requests waiting, the consumer deleted, a leader changed: try again


class BatchPull:
    def __init__(
        self, js: JetStreamContext, stream: str, durable: str, max_batch: int, window_seconds: float
    ) -> None:
        self._requests = PullRequests(js, stream, durable, self._delivered, self._ended)
        self._durable = durable
        self._max_batch = max_batch
        self._window = window_seconds
        self._arrived: list[Msg] = []
        self._changed = asyncio.Event()
        self._open = False
        self._awaited = 0
        self._open_until = 0.0
        self._pause_until = 0.0
        self._failing = False
        self._stopping = False

    async def open(self) -> None:
        await self._requests.open()

    async def close(self) -> None:
        await self._requests.close()

    def stop(self) -> None:
        """End the wait in hand and wait no more: the consumer is stopping."""
        self._stopping = True
        self._changed.set()

    async def collect(self) -> list[Msg]:
        """The stragglers taken in, or else the first messages the open request brings (none once
        it ends); topped up until the window closes or the batch is full."""
        batch = self._take(self._max_batch)
        if not batch and await self._requested():
            await self._changes(self._open_until - time.monotonic())
            batch = self._take(self._max_batch)
        closes = time.monotonic() + self._window
        while batch and len(batch) < self._max_batch and (left := closes - time.monotonic()) > 0:
            if self._stopping or not await self._requested(len(batch)):
                break
            await self._changes(left)
            batch += self._take(self._max_batch - len(batch))
        return batch

    def stragglers(self) -> list[Msg]:
        """Every message delivered and not yet in a batch."""
        return list(self._arrived)

    def _take(self, count: int) -> list[Msg]:
        taken = self._arrived[:count]
        del self._arrived[:count]
        return taken

    async def _requested(self, in_hand: int = 0) -> bool:
        """A request is open for what the batch lacks; False if it could not be sent."""
        if self._open and time.monotonic() < self._open_until:
            return True
        wanted = self._max_batch - in_hand - len(self._arrived)
        if wanted <= 0:
            return True
        if (pause := self._pause_until - time.monotonic()) > 0:
            await asyncio.sleep(pause)
        # open before it is sent: its first messages may arrive while `send` flushes
        self._open, self._awaited = True, wanted
        self._open_until = time.monotonic() + FETCH_SECONDS + GRACE_SECONDS
        try:
            await self._requests.send(wanted, FETCH_SECONDS)
        except Exception as error:  # noqa: BLE001  (sorted and logged by `_failed`)
            self._open = False
            self._failed(error)
            return False
        self._failing = False
        return True

    async def _changes(self, timeout: float) -> None:
        """Wait until a message arrives or the open request ends, at most `timeout`."""
        if self._arrived or not self._open or self._stopping:
            return
        self._changed.clear()
        with suppress(TimeoutError):
            async with asyncio.timeout(timeout):  # no task, unlike `wait_for`
                await self._changed.wait()

    async def _delivered(self, message: Msg) -> None:
        self._arrived.append(message)
        self._awaited -= 1
        if self._awaited <= 0:
            self._open = False
        self._changed.set()

    async def _ended(self, status: str) -> None:
        self._open = False
        if status not in _OVER:
            self._pause_until = time.monotonic() + PAUSE_SECONDS
            if status != _REFUSED:
                log.error("batch_consumer.pull_refused", durable=self._durable, status=status)
        self._changed.set()

    def _failed(self, error: Exception) -> None:
        """Logged once while NATS stays away; an unexpected failure every time."""
        if not is_outage(error):
            log.error("batch_consumer.fetch_failed", durable=self._durable, exc_info=error)
        elif not self._failing:
            log.warning(
                "batch_consumer.fetch_failed",
                durable=self._durable,
                error=f"{type(error).__name__}: {error}",
            )
        self._failing = True
        self._pause_until = time.monotonic() + PAUSE_SECONDS
