"""A task run every few seconds for as long as the service runs: the retry sweep, the digests, the
staleness check. A pass that fails is logged and the next one comes as planned."""

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from netraven_shared.task_stop import stop_task

log = structlog.get_logger()


class Periodic:
    def __init__(
        self, name: str, every_seconds: float, run: Callable[[], Awaitable[object]]
    ) -> None:
        self._name = name
        self._every = every_seconds
        self._run = run
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=f"notifier-{self._name}")

    async def stop(self) -> None:
        await stop_task(self._task)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._every)
            try:
                await self._run()
            except Exception:
                log.exception("notifier.periodic_failed", task=self._name)
