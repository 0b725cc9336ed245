"""`python -m netraven_worker`: one worker process, or (NETRAVEN_WORKER_PROCESSES > 1) a supervisor
of that many.

Netmiko sessions are CPU-bound between reads and share one GIL per process, so a worker scales
as processes x sessions per process. The supervisor opens the health port once and hands it to
every child (each answers `/health` on it), forwards SIGTERM/SIGINT to them as SIGTERM (each
drains), restarts a child that crashed after running a while, and exits once all have exited:
0 when every child exited 0. Its children write their metrics to a directory it owns, so the one
answering `/metrics` reports the sum of all (metrics/exposition.py).
"""

import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field

import structlog
from netraven_shared.logging import configure_logging
from netraven_shared.metrics.exposition import forget_process, multiprocess_metrics
from netraven_shared.service_app import run_service

from netraven_worker.collection import Collect
from netraven_worker.config import WorkerSettings
from netraven_worker.handlers import build_app
from netraven_worker.inputs import collect_by_input

log = structlog.get_logger()

CRASH_LOOP_SECONDS = 10.0  # a child dying sooner than this after its start is not restarted
_PR_SET_PDEATHSIG = 1


def _die_with_supervisor() -> None:
    """A child gets SIGTERM (and drains) when the supervisor dies, even by kill -9."""
    if sys.platform == "linux":
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    index: int
    process: subprocess.Popen
    started: float = field(default_factory=time.monotonic)


class Supervisor:
    def __init__(self, settings: WorkerSettings) -> None:
        self._settings = settings
        self._stopping = False
        self._health = socket.create_server((settings.health_host, settings.health_port))
        self._health.set_inheritable(True)
        self._children: dict[int, Child] = {}

    def run(self) -> int:
        for caught in (signal.SIGTERM, signal.SIGINT):
            signal.signal(caught, self._stop)
        for index in range(1, self._settings.worker_processes + 1):
            self._start(index)
        log.info(
            "worker.supervisor_started",
            processes=self._settings.worker_processes,
            sessions_per_process=self._settings.concurrency,
        )
        failed = False
        while self._children:
            pid, status = os.wait()
            child = next((c for c in self._children.values() if c.process.pid == pid), None)
            if child is None:
                continue
            forget_process(pid)
            del self._children[child.index]
            code = os.waitstatus_to_exitcode(status)
            child.process.returncode = code
            if self._stopping:
                failed |= code != 0
                continue
            if time.monotonic() - child.started < CRASH_LOOP_SECONDS:
                log.error(
                    "worker.process_crash_loop",
                    index=child.index,
                    exit_code=code,
                    note="stopping every process",
                )
                failed = True
                self._stop()
                continue
            log.error("worker.process_restarted", index=child.index, exit_code=code)
            self._start(child.index)
        self._health.close()
        return 1 if failed else 0

    def _start(self, index: int) -> None:
        env = os.environ | {
            "NETRAVEN_WORKER_ID": f"{self._settings.worker_id}-{index}",
            "NETRAVEN_WORKER_PROCESSES": "1",
            "NETRAVEN_HEALTH_FD": str(self._health.fileno()),
        }
        process = subprocess.Popen(
            # The command this supervisor was started with (`-m netraven_worker`, or the benchmark's
            # entry that injects its fake session), so every child runs the same worker.
            [sys.executable, *sys.orig_argv[1:]],
            env=env,
            pass_fds=(self._health.fileno(),),
            start_new_session=True,
            preexec_fn=_die_with_supervisor,  # noqa: PLW1509  (one prctl call)
        )
        self._children[index] = Child(index, process)

    def _stop(self, *_: object) -> None:
        self._stopping = True
        for child in self._children.values():
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)


def _supervise(settings: WorkerSettings) -> int:
    configure_logging("worker-supervisor", settings.log_level, settings.log_format)
    with multiprocess_metrics():
        return Supervisor(settings).run()


def main(collect: Collect = collect_by_input) -> None:
    """Run the worker: its processes, or (as one of them) the service; `collect` as in
    `build_app`."""
    settings = WorkerSettings()
    if settings.worker_processes > 1:
        sys.exit(_supervise(settings))
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
