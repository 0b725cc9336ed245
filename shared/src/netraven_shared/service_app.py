"""Run a bus-only service: its broker, `/health` and `/metrics` endpoints, and a clean stop on
SIGTERM.

Uvicorn owns the signals; FastStream's lifespan drains the subscribers before the process ends.
`/health` answers 200 when NATS answers a ping and every readiness check passes, else 503 with the
reasons: a service whose consumer loop has stopped is up but not doing its job.
"""

import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from types import FrameType

import uvicorn
from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.asgi.handlers import GetHandler
from faststream.asgi.types import Scope
from faststream.nats import NatsBroker

from netraven_shared.logging import configure_logging
from netraven_shared.messaging import NetRavenBroker, declare_streams
from netraven_shared.metrics.exposition import metrics_endpoint
from netraven_shared.metrics.live_gauges import LiveGauges
from netraven_shared.service_heartbeat import ProblemCheck, attach_heartbeat, readiness_of
from netraven_shared.settings import NetRavenSettings
from netraven_shared.tracing.provider import configure_tracing


def health_endpoint(broker: NatsBroker, readiness: list[ProblemCheck]) -> GetHandler:
    @get(
        description=(
            "200 when the service is connected and consuming; 503 with the reasons otherwise"
        )
    )
    async def health(scope: Scope) -> AsgiResponse:
        reasons = [] if await broker.ping(timeout=5.0) else ["nats: unreachable"]
        reasons += [reason for check in readiness if (reason := check()) is not None]
        body = {"status": "not ready", "reasons": reasons} if reasons else {"status": "ok"}
        return AsgiResponse(
            json.dumps(body).encode(),
            503 if reasons else 200,
            headers={"content-type": "application/json"},
        )

    return health


def build_service_app(
    broker: NetRavenBroker,
    on_startup: list[Callable[[], Awaitable[None]]] | None = None,
    on_shutdown: list[Callable[[], Awaitable[None]]] | None = None,
    readiness: list[ProblemCheck] | None = None,
) -> AsgiFastStream:
    live_gauges = LiveGauges(broker, broker.identity)

    async def declare() -> None:
        await declare_streams(broker)

    app = AsgiFastStream(
        broker,
        asgi_routes=[
            ("/health", health_endpoint(broker, readiness or [])),
            ("/metrics", metrics_endpoint()),
        ],
        on_startup=[declare, *(on_startup or [])],
        after_startup=[live_gauges.start],  # consumer info needs the broker connected
        on_shutdown=[live_gauges.stop, *(on_shutdown or [])],
        logger=logging.getLogger("faststream"),
    )
    attach_heartbeat(app, broker.identity, readiness_of(readiness or []))
    return app


class _Server(uvicorn.Server):
    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Uvicorn looks at a stop request only once started; a service still starting (waiting for
        NATS, or for a stream its owner declares) has nothing to drain, so it stops at once instead
        of never."""
        if not self.started:
            logging.getLogger("netraven").warning("stopped while starting: nothing was running yet")
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        super().handle_exit(sig, frame)


def serve(
    name: str,
    settings: NetRavenSettings,
    app: Callable[..., Awaitable[None]],
    host: str,
    port: int,
    sockets: list[socket.socket] | None = None,
) -> None:
    """Serve until SIGTERM/SIGINT, then shut down gracefully and exit with status 0.

    Open requests (a live log stream, say) get 10 s to finish. Uvicorn re-raises the signal it
    caught once its graceful shutdown is done; the handler installed here turns that re-raised
    signal into a normal exit. With `sockets`, it serves on sockets already listening (one port
    shared by several processes) instead of binding host:port.
    """
    configure_logging(name, settings.log_level, settings.log_format)
    for caught in (signal.SIGTERM, signal.SIGINT):
        signal.signal(caught, lambda *_: sys.exit(0))
    server = _Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            log_config=None,  # its records go out as our JSON
            lifespan="on",
            timeout_graceful_shutdown=10,
            # X-Forwarded-* count only where the app says whom it trusts (the api:
            # NETRAVEN_TRUSTED_PROXIES); uvicorn's default would believe any process on 127.0.0.1.
            proxy_headers=False,
            server_header=False,
        )
    )
    server.run(sockets=sockets)
    if not server.started:
        sys.exit(3)  # as uvicorn.run does: the app or its port failed at startup


def run_service(
    name: str,
    settings: NetRavenSettings,
    port: int,
    build: Callable[[], AsgiFastStream],
    sockets: list[socket.socket] | None = None,
) -> None:
    configure_tracing(name)  # before `build`: the broker and the engine are traced from the start
    serve(name, settings, build(), settings.health_host, port, sockets)
