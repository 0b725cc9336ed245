"""The requests a worker process holds: kept ours while worked on, counted, handed back, drained.

- **Kept alive**: while a request is worked on its message gets in-progress acks, so the consumer's
  ack wait only bounds how long a *crashed* worker holds it.
- **Counted**: the heartbeat reports how many run now.
- **Drained**: SIGTERM stops fetching requests and gives the sessions in flight up to
  `NETRAVEN_DRAIN_SECONDS` to finish, then hands back whatever still runs: nacked with a delay of
  the device lock's TTL, so another worker takes it once the abandoned session's lock (never
  released) has expired. The abandoned session's thread dies with the process (see `__main__`).
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from faststream.nats import NatsBroker, NatsMessage
from faststream.nats.subscriber import LogicSubscriber
from netraven_shared.in_progress import kept_in_progress
from netraven_shared.operator_log import OperatorLog

from netraven_worker.config import WorkerSettings

log = structlog.get_logger()


class InFlight:
    """`keep_alive_seconds`: how often a held message gets an in-progress ack (None: never)."""

    def __init__(self, keep_alive_seconds: float | None = None) -> None:
        self._keep_alive_seconds = keep_alive_seconds
        self._running: dict[asyncio.Task, NatsMessage] = {}
        self._handed_back: set[asyncio.Task] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def count(self) -> int:
        return len(self._running)

    @asynccontextmanager
    async def working_on(self, message: NatsMessage) -> AsyncIterator[None]:
        task = asyncio.current_task()
        assert task is not None  # called from a handler's task
        self._running[task] = message
        self._idle.clear()
        try:
            if self._keep_alive_seconds is None:
                yield
            else:
                async with kept_in_progress(message, self._keep_alive_seconds):
                    yield
        except asyncio.CancelledError:
            if task not in self._handed_back:
                raise
            # Cancelled by `hand_back` alone, its message already nacked: end quietly.
            self._handed_back.discard(task)
        finally:
            del self._running[task]
            if not self._running:
                self._idle.set()

    async def wait_idle(self, timeout: float) -> bool:
        """True once nothing is in flight; False if work is still running after `timeout` s."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def hand_back(self, delay: float) -> int:
        """Nack every request still running (JetStream delivers it again after `delay` seconds,
        to any worker) and stop working on it here."""
        running = list(self._running.items())
        for task, message in running:
            try:
                await message.nack(delay=delay)
            except Exception as error:  # noqa: BLE001  the ack wait hands it back anyway
                log.warning("worker.hand_back_failed", error=str(error))
            self._handed_back.add(task)
            task.cancel()
        return len(running)


class Drain:
    """The worker's shutdown hook: stop fetching, wait for the sessions in flight, hand back the rest."""

    def __init__(
        self,
        broker: NatsBroker,
        subscribers: list[LogicSubscriber],
        in_flight: InFlight,
        settings: WorkerSettings,
    ) -> None:
        self._subscribers = subscribers
        self._in_flight = in_flight
        self._settings = settings
        self._oplog = OperatorLog(broker, "worker")

    async def __call__(self) -> None:
        for subscriber in self._subscribers:
            subscriber.running = False  # its fetch loop ends; nothing new starts here
        bound = self._settings.drain_seconds
        log.info("worker.draining", in_flight=self._in_flight.count, bound_seconds=bound)
        if await self._in_flight.wait_idle(bound):
            log.info("worker.drained")
            return
        retry_in = self._settings.lock_ttl_seconds
        handed_back = await self._in_flight.hand_back(delay=retry_in)
        message = (
            f"{self._settings.worker_id}: stopping; {handed_back} session(s) still running after "
            f"{bound:g} s were handed back and will be retried by another worker in {retry_in:g} s"
        )
        log.warning("worker.handed_back", count=handed_back, bound_seconds=bound)
        await self._oplog.emit("warning", "system", message)
