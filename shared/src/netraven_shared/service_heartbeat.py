"""Every service process writes its `ServiceStatus` to the `netraven-services` bucket every few
seconds.

Whether the service is ready, and what is wrong when it is not, comes from a readiness check the
service passes in. `make run` tells a restarted process how many restarts it is in
`NETRAVEN_SERVICE_RESTARTS`. A clean stop deletes the entry; the bucket's TTL removes the entry of
a process that died.
"""

import os
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from faststream.asgi import AsgiFastStream
from faststream.nats import NatsBroker
from nats.js.kv import KeyValue

from netraven_shared.bus_identities import owns_bucket
from netraven_shared.events.base import utc_now
from netraven_shared.events.service_status import (
    BEAT_SECONDS,
    SERVICES_BUCKET,
    STATUS_TTL_SECONDS,
    ServiceStatus,
    status_key,
)
from netraven_shared.key_value import existing_bucket, open_bucket
from netraven_shared.kv_beat import KvBeat

RESTARTS_VARIABLE = "NETRAVEN_SERVICE_RESTARTS"


@dataclass(frozen=True)
class Readiness:
    ready: bool
    problem: str | None = None


ReadinessCheck = Callable[[], Awaitable[Readiness]]
ProblemCheck = Callable[
    [], str | None
]  # None when fine, else what is wrong (a consumer's `not_ready_reason`)


def readiness_of(checks: Sequence[ProblemCheck]) -> ReadinessCheck:
    """Ready when no check reports a problem; the problems, joined, otherwise."""

    async def readiness() -> Readiness:
        problems = [problem for check in checks if (problem := check()) is not None]
        return Readiness(ready=not problems, problem="; ".join(problems) or None)

    return readiness


async def always_ready() -> Readiness:
    """For a service with no readiness check of its own: up and beating is ready."""
    return Readiness(ready=True)


class ServiceHeartbeat(KvBeat):
    def __init__(
        self,
        broker: NatsBroker,
        service: str,
        readiness: ReadinessCheck = always_ready,
        *,
        beat_seconds: float = BEAT_SECONDS,
        replicas: int = 1,
        clock: Callable[[], datetime] = utc_now,
        environ: Mapping[str, str] = os.environ,
    ) -> None:
        self.host = socket.gethostname()
        self.instance = f"{self.host}-{os.getpid()}"
        self._broker = broker
        self._service = service
        self._readiness = readiness
        self._replicas = replicas
        self._clock = clock
        self._restarts = _restarts(environ)
        self._started_at = clock()
        super().__init__(
            self._open_bucket_of_services,
            status_key(service, self.instance),
            self.status,
            beat_seconds,
            "service",
        )

    async def status(self) -> ServiceStatus:
        try:
            readiness = await self._readiness()
        except Exception as error:  # noqa: BLE001  a failing check is an answer too: not ready, and why
            readiness = Readiness(ready=False, problem=f"readiness check failed: {error}"[:1000])
        return ServiceStatus(
            service=self._service,
            instance=self.instance,
            pid=os.getpid(),
            host=self.host,
            started_at=self._started_at,
            restarts=self._restarts,
            ready=readiness.ready,
            problem=None if readiness.problem is None else readiness.problem[:1000],
            seen_at=self._clock(),
        )

    async def _open_bucket_of_services(self) -> KeyValue:
        """Created by its owner (the api); every other service writes into it once it exists."""
        js = self._broker.config.connection_state.stream
        if owns_bucket(getattr(self._broker, "identity", None), SERVICES_BUCKET):
            return await open_bucket(
                js, SERVICES_BUCKET, STATUS_TTL_SECONDS, replicas=self._replicas
            )
        return await existing_bucket(js, SERVICES_BUCKET)


def attach_heartbeat(
    app: AsgiFastStream, service: str, readiness: ReadinessCheck = always_ready
) -> ServiceHeartbeat:
    """Beat from the moment the app has started until it stops (after the app's own shutdown
    hooks)."""
    assert isinstance(app.broker, NatsBroker)
    heartbeat = ServiceHeartbeat(app.broker, service, readiness)
    app.after_startup(heartbeat.start)
    app.on_shutdown(heartbeat.stop)
    return heartbeat


def _restarts(environ: Mapping[str, str]) -> int:
    try:
        return max(0, int(environ.get(RESTARTS_VARIABLE, "0")))
    except ValueError:
        return 0
