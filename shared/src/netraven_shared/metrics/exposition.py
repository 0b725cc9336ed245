"""Serve `/metrics`: on a bus service's health app, or on the api's internal port.

A service of several processes (the worker's supervisor, NETRAVEN_WORKER_PROCESSES > 1) sets
PROMETHEUS_MULTIPROC_DIR before starting them: every process then writes its samples to files
there, and whichever process answers `/metrics` on the shared socket reads and adds up all of
them. A single process serves prometheus-client's default registry, where other modules (the api's
fleet freshness) register collectors of their own.
"""

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from wsgiref.simple_server import WSGIServer

from faststream.asgi import AsgiResponse, get
from faststream.asgi.handlers import GetHandler
from faststream.asgi.types import Scope
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    start_http_server,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def serving_registry() -> CollectorRegistry:
    """The registry a `/metrics` answer renders: all processes' files in multiprocess mode."""
    directory = os.environ.get(MULTIPROCESS_DIR_VARIABLE)
    if not directory:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    return registry


def rendered() -> bytes:
    return generate_latest(serving_registry())


def metrics_endpoint() -> GetHandler:
    @get(description="Prometheus metrics of this service (text exposition format)")
    async def metrics(scope: Scope) -> AsgiResponse:
        return AsgiResponse(rendered(), 200, headers={"content-type": CONTENT_TYPE_LATEST})

    return metrics


def serve_metrics_port(host: str, port: int) -> tuple[WSGIServer, threading.Thread]:
    """Serve `/metrics` on its own port, in a daemon thread: for the api, whose public port must
    not show it."""
    return start_http_server(port, addr=host, registry=serving_registry())


@contextmanager
def multiprocess_metrics() -> Iterator[None]:
    """For a supervisor: a directory of its own where its children write their samples, named in
    the environment they inherit, removed when the supervisor is done."""
    directory = tempfile.mkdtemp(prefix="netraven-metrics-")
    os.environ[MULTIPROCESS_DIR_VARIABLE] = directory
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_DIR_VARIABLE]
        shutil.rmtree(directory, ignore_errors=True)


def forget_process(pid: int) -> None:
    """A child exited: its live gauges (pool in use, say) stop counting; its counters stay."""
    if directory := os.environ.get(MULTIPROCESS_DIR_VARIABLE):
        mark_process_dead(pid, directory)
