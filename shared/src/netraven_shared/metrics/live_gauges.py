"""Keep the gauges read from elsewhere (JetStream consumer info, the database pools) fresh: one
task per process reads them every few seconds, so a scrape costs no bus round trip and a backup
none at all."""

import asyncio

import structlog
from faststream.nats import NatsBroker

from netraven_shared.bus_identities import IDENTITIES
from netraven_shared.metrics.consumers import refresh_consumer_gauges
from netraven_shared.metrics.db_pool import refresh_pool_gauges
from netraven_shared.task_stop import stop_task

log = structlog.get_logger()

REFRESH_SECONDS = 5.0


class LiveGauges:
    def __init__(self, broker: NatsBroker, identity: str) -> None:
        self._broker = broker
        self._durables = IDENTITIES[identity].durables if identity in IDENTITIES else ()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._refresh_forever())

    async def stop(self) -> None:
        await stop_task(self._task)

    async def refresh(self) -> None:
        refresh_pool_gauges()
        if self._durables:
            js = self._broker.config.connection_state.stream
            await refresh_consumer_gauges(js, self._durables)

    async def _refresh_forever(self) -> None:
        while True:
            try:
                await self.refresh()
            except Exception:
                log.warning("metrics.refresh_failed", exc_info=True)
            await asyncio.sleep(REFRESH_SECONDS)
