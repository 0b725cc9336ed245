"""Every few seconds each worker process writes who it is and how busy it is to the
`netraven-workers` KV bucket (read by `GET /api/workers`); on a clean stop it removes its entry,
and the bucket's TTL removes the entry of a process that died."""

import os
import socket
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import version

from faststream.nats import NatsBroker
from nats.js.kv import KeyValue
from netraven_shared.events.base import utc_now
from netraven_shared.events.worker_heartbeat import (
    HEARTBEAT_TTL_SECONDS,
    WORKERS_BUCKET,
    WorkerHeartbeat,
    heartbeat_key,
)
from netraven_shared.key_value import open_bucket
from netraven_shared.kv_beat import KvBeat

from netraven_worker.config import WorkerSettings
from netraven_worker.in_flight import InFlight


def _key(settings: WorkerSettings) -> str:
    """A site collector may write only keys under its identity's name (bus_identities)."""
    key = heartbeat_key(settings.worker_id)
    return f"{settings.bus_identity}.{key}" if settings.worker_site else key


class Heartbeat(KvBeat):
    def __init__(
        self,
        broker: NatsBroker,
        settings: WorkerSettings,
        in_flight: InFlight,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._broker = broker
        self._settings = settings
        self._in_flight = in_flight
        self._clock = clock
        self._started_at = clock()
        self._version = version("netraven-worker")
        super().__init__(
            self._open_bucket_of_workers,
            _key(settings),
            self._snapshot,
            settings.heartbeat_seconds,
            "worker",
        )

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

    async def _snapshot(self) -> WorkerHeartbeat:
        return self.snapshot()

    async def _open_bucket_of_workers(self) -> KeyValue:
        return await open_bucket(
            self._broker.config.connection_state.stream,
            WORKERS_BUCKET,
            HEARTBEAT_TTL_SECONDS,
            replicas=self._settings.stream_replicas,
        )
