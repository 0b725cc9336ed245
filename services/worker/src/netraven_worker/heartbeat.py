"""Every few seconds each worker process writes who it is and how busy it is to the
`netraven-workers` KV bucket (read by `GET /api/workers`); on a clean stop it removes its entry,
and the bucket's TTL removes the entry of a process that died."""

import asyncio
import os
import socket
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from importlib.metadata import version

import structlog
from faststream.nats import NatsBroker
from nats.js.kv import KeyValue

from netraven_shared.events.base import utc_now
from netraven_shared.key_value import open_bucket
from netraven_shared.worker_heartbeat import HEARTBEAT_TTL_SECONDS, WORKERS_BUCKET, WorkerHeartbeat, heartbeat_key
from netraven_worker.config import WorkerSettings
from netraven_worker.in_flight import InFlight

log = structlog.get_logger()


class Heartbeat:
    def __init__(
        self, broker: NatsBroker, settings: WorkerSettings, in_flight: InFlight, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._broker = broker
        self._settings = settings
        self._in_flight = in_flight
        self._clock = clock
        self._started_at = clock()
        self._version = version("netraven-worker")
        self._key = heartbeat_key(settings.worker_id)
        self._bucket: KeyValue | None = None
        self._beating: asyncio.Task | None = None

    def snapshot(self) -> WorkerHeartbeat:
        return WorkerHeartbeat(
            worker_id=self._settings.worker_id,
            hostname=socket.gethostname(),
            pid=os.getpid(),
            version=self._version,
            in_flight=self._in_flight.count,
            capacity=self._settings.concurrency,
            started_at=self._started_at,
            last_seen_at=self._clock(),
        )

    async def beat(self) -> None:
        if self._bucket is None:
            self._bucket = await open_bucket(self._broker.config.connection_state.stream, WORKERS_BUCKET, HEARTBEAT_TTL_SECONDS)
        await self._bucket.put(self._key, self.snapshot().model_dump_json().encode())

    async def start(self) -> None:
        await self.beat()
        self._beating = asyncio.create_task(self._beat_forever())

    async def stop(self) -> None:
        if self._beating is not None:
            self._beating.cancel()
            with suppress(asyncio.CancelledError):
                await self._beating
        if self._bucket is not None:
            with suppress(Exception):  # the TTL removes it anyway
                await self._bucket.delete(self._key)

    async def _beat_forever(self) -> None:
        while True:
            await asyncio.sleep(self._settings.heartbeat_seconds)
            try:
                await self.beat()
            except Exception as error:  # NATS away for a moment: the next beat tries again
                log.warning("worker.heartbeat_failed", error=str(error))
