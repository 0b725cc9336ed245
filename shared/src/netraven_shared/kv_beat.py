"""A status written to a KV bucket every few seconds: the loop both heartbeats share (a service's in
`netraven-services`, a worker's in `netraven-workers`).

A beat that cannot be written (NATS away for a moment, the bucket not created yet) is logged and
tried again at the next one: a status never stops the process it describes. A clean stop deletes the
entry; the bucket's TTL removes the entry of a process that died.
"""

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress

import structlog
from nats.js.kv import KeyValue
from pydantic import BaseModel

from netraven_shared.task_stop import stop_task

log = structlog.get_logger()


class KvBeat:
    def __init__(
        self,
        open_bucket: Callable[[], Awaitable[KeyValue]],
        key: str,
        status: Callable[[], Awaitable[BaseModel]],
        every_seconds: float,
        name: str,
    ) -> None:
        self._open_bucket = open_bucket
        self._key = key
        self._status = status
        self._every_seconds = every_seconds
        self._name = name
        self._bucket: KeyValue | None = None
        self._beating: asyncio.Task | None = None

    async def beat(self) -> None:
        if self._bucket is None:
            self._bucket = await self._open_bucket()
        await self._bucket.put(self._key, (await self._status()).model_dump_json().encode())

    async def start(self) -> None:
        """Beat now and every few seconds."""
        await self._try_to_beat()
        self._beating = asyncio.create_task(self._beat_forever())

    async def stop(self) -> None:
        await stop_task(self._beating)
        if self._bucket is not None:
            with suppress(Exception):  # the TTL removes it anyway
                await self._bucket.delete(self._key)

    async def _beat_forever(self) -> None:
        while True:
            await asyncio.sleep(self._every_seconds)
            await self._try_to_beat()

    async def _try_to_beat(self) -> None:
        try:
            await self.beat()
        except Exception as error:  # noqa: BLE001  (the next beat tries again)
            log.warning(f"{self._name}.heartbeat_failed", error=str(error))
