import logging
import os
import socket
import sys

from netraven_shared.service_app import run_service

from netraven_worker.app import build_app
from netraven_worker.config import WorkerSettings
from netraven_worker.session import Collect, collect_config
from netraven_worker.supervisor import supervise


def main(collect: Collect = collect_config) -> None:
    """Run the worker: its processes, or (as one of them) the service; `collect` as in `build_app`."""
    settings = WorkerSettings()
    if settings.worker_processes > 1:
        sys.exit(supervise(settings))
    sockets = [socket.socket(fileno=settings.health_fd)] if settings.health_fd is not None else None
    code = 0
    try:
        run_service(
            "worker", settings, settings.health_port, lambda: build_app(settings, collect), sockets
        )
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    # A session the drain handed back may still run in a thread: it ends with the process rather
    # than keep talking to a device another worker is about to take over.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
