"""Run a bus-only service: its broker, a `/health` endpoint, and a clean stop on SIGTERM.

Uvicorn owns the signals; FastStream's lifespan drains the subscribers before the process ends.
"""

from collections.abc import Awaitable, Callable

import logging
import signal
import socket
import sys

import uvicorn
from faststream.asgi import AsgiFastStream, make_ping_asgi

from netraven_shared.logging import configure_logging
from netraven_shared.messaging import NetRavenBroker, declare_streams
from netraven_shared.settings import NetRavenSettings


def build_service_app(
    broker: NetRavenBroker,
    on_startup: list[Callable[[], Awaitable[None]]] | None = None,
    on_shutdown: list[Callable[[], Awaitable[None]]] | None = None,
) -> AsgiFastStream:
    async def declare() -> None:
        await declare_streams(broker)

    return AsgiFastStream(
        broker,
        asgi_routes=[("/health", make_ping_asgi(broker, timeout=5.0))],
        on_startup=[declare, *(on_startup or [])],
        on_shutdown=on_shutdown or [],
        logger=logging.getLogger("faststream"),
    )


def serve(
    name: str, settings: NetRavenSettings, app: object, host: str, port: int, sockets: list[socket.socket] | None = None
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
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on", timeout_graceful_shutdown=10)
    )
    server.run(sockets=sockets)
    if not server.started:
        sys.exit(3)  # as uvicorn.run does: the app or its port failed at startup


def run_service(
    name: str, settings: NetRavenSettings, port: int, build: Callable[[], AsgiFastStream],
    sockets: list[socket.socket] | None = None,
) -> None:
    serve(name, settings, build(), settings.health_host, port, sockets)
