"""The requests this worker process is working on: counted for its heartbeat, and handed back to
JetStream by the drain when a shutdown cuts them short."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from faststream.nats import NatsMessage

log = structlog.get_logger()


class InFlight:
    def __init__(self) -> None:
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
            yield
        except asyncio.CancelledError:
            if task not in self._handed_back:
                raise
            # Cancelled by `hand_back` alone, its message already nacked: end quietly, not as an error.
            self._handed_back.discard(task)
        finally:
            del self._running[task]
            if not self._running:
                self._idle.set()

    async def wait_idle(self, timeout: float) -> bool:
        """True once nothing is in flight; False if work is still running after `timeout` seconds."""
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
