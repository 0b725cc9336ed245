"""NetRaven's Python services as child processes: start, wait for health, restart, stop with
SIGTERM.

Used by `make run` and by the end-to-end tests, so both start the stack the same way. Restarting is
supervisor.py's decision; this module only knows how to start a service again as it was started.
"""

import ctypes
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from netraven_shared.service_heartbeat import RESTARTS_VARIABLE

SERVICE_MODULES = {
    "api": "netraven_api",
    "scheduler": "netraven_scheduler",
    "worker": "netraven_worker",
    "log-collector": "netraven_log_collector",
    "gitkeeper": "netraven_gitkeeper",
    "notifier": "netraven_notifier",
}


def _stop_with_parent() -> None:
    """Linux: the child gets SIGTERM when its supervisor dies, even by kill -9, so no service
    outlives `make run` holding its ports."""
    if sys.platform == "linux":
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class ServiceFailed(RuntimeError):
    pass


@dataclass
class RunningService:
    name: str
    process: subprocess.Popen
    log_path: Path
    health_url: str | None
    argv: list[str]
    env: dict[str, str]

    def log_tail(self, characters: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-characters:]

    def append_to_log(self, line: str) -> None:
        with open(self.log_path, "a") as log:
            log.write(f"{line}\n")


class ServiceSet:
    def __init__(self, log_dir: Path) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir = log_dir
        self.services: dict[str, RunningService] = {}

    def start(
        self, name: str, argv: list[str], env: dict[str, str], health_url: str | None = None
    ) -> RunningService:
        log_path = self.log_dir / f"{name}.log"
        with open(log_path, "a") as log:
            process = subprocess.Popen(
                argv,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_stop_with_parent,  # noqa: PLW1509  (one prctl call, before any thread starts)
            )
        service = RunningService(name, process, log_path, health_url, argv, env)
        self.services[name] = service
        return service

    def restart(self, name: str, restarts: int) -> RunningService:
        """Start `name` again with its command and environment, plus how many restarts this
        makes."""
        previous = self.services[name]
        return self.start(
            name,
            previous.argv,
            previous.env | {RESTARTS_VARIABLE: str(restarts)},
            previous.health_url,
        )

    def start_module(
        self, name: str, module: str, env: dict[str, str], health_url: str | None
    ) -> RunningService:
        return self.start(name, [sys.executable, "-m", module], env, health_url)

    def start_service(
        self, name: str, env: dict[str, str], port: int, metrics_port: int = 0
    ) -> RunningService:
        """One of the six services: the api serves everything but its metrics on `port` (those on
        `metrics_port`, 0: none), the others their health and metrics."""
        if name == "api":
            return self.start_module(
                name,
                SERVICE_MODULES[name],
                env | {"NETRAVEN_PORT": str(port), "NETRAVEN_METRICS_PORT": str(metrics_port)},
                f"http://127.0.0.1:{port}/api/health",
            )
        health = f"http://127.0.0.1:{port}/health"
        return self.start_module(
            name, SERVICE_MODULES[name], env | {"NETRAVEN_HEALTH_PORT": str(port)}, health
        )

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        for service in self.services.values():
            while service.health_url and not _healthy(service.health_url):
                if service.process.poll() is not None:
                    raise ServiceFailed(
                        f"{service.name} exited with status "
                        f"{service.process.returncode}:\n{service.log_tail()}"
                    )
                if time.monotonic() > deadline:
                    raise ServiceFailed(
                        f"{service.name} not healthy at {service.health_url} "
                        f"after {timeout:.0f} s:\n{service.log_tail()}"
                    )
                time.sleep(0.3)

    def exited(self) -> list[RunningService]:
        return [s for s in self.services.values() if s.process.poll() is not None]

    def stop_all(self, timeout: float = 20) -> dict[str, int | None]:
        """SIGTERM to every service (they drain), then the exit status of each; None if it had to be
        killed."""
        for service in reversed(self.services.values()):
            if service.process.poll() is None:
                service.process.send_signal(signal.SIGTERM)
        codes: dict[str, int | None] = {}
        for name, service in self.services.items():
            try:
                codes[name] = service.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                service.process.kill()
                codes[name] = None
        return codes


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code < 300
    except httpx.HTTPError:
        return False
