"""The measured stack of `make bench`: embedded NATS and PostgreSQL, a registered inventory, and the
four services on the backup path (api, worker, gitkeeper, log-collector) as processes."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import free_port
from netraven_devstack.postgres_server import EmbeddedPostgres
from netraven_devstack.service_set import SERVICE_MODULES, ServiceSet
from netraven_shared.db.migrate import upgrade

from netraven_bench import worker as bench_worker

ADMIN_PASSWORD = "bench-admin-password"
MEASURED = (
    "api",
    "worker",
    "gitkeeper",
    "log-collector",
)  # the scheduler is not on the measured path


@dataclass(frozen=True)
class BenchStack:
    api_url: str
    nats_url: str
    database_dsn: str


@dataclass(frozen=True)
class WorkerLayout:
    """`processes` worker processes with the ids `bench-worker-1`, ...: as that many single-process
    worker services sharing the durable, as containers scale, or (`supervised`) as one worker
    service whose supervisor starts them (`NETRAVEN_WORKER_PROCESSES`)."""

    processes: int
    supervised: bool = False


@contextmanager
def measured_stack(
    root: Path,
    inventory: list[dict],
    sessions: int,
    fake_sessions: bool = False,
    workers: WorkerLayout | None = None,
) -> Iterator[BenchStack]:
    """`sessions` in all, spread over one worker process per core (the worker's own default) or
    over the processes of `workers`; `fake_sessions` starts the benchmark's worker
    (`netraven_bench.worker`), whose sessions answer at once."""
    processes = (
        workers.processes
        if workers
        else max(p for p in range(1, (os.cpu_count() or 1) + 1) if sessions % p == 0)
    )
    with (
        EmbeddedNats(store_dir=root / "nats", port=free_port()) as nats,
        EmbeddedPostgres(data_dir=root / "pg", port=free_port(), fast=True) as postgres,
    ):
        api_port = free_port()
        env = {
            **_environment(),
            "NETRAVEN_NATS_URL": nats.url,
            "NETRAVEN_DATABASE_URL": postgres.url,
            "NETRAVEN_REPO_PATH": str(root / "configs"),
            "NETRAVEN_CONCURRENCY": str(sessions // processes),
            "NETRAVEN_WORKER_PROCESSES": str(processes),
            "NETRAVEN_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "NETRAVEN_LOG_FORMAT": "json",
            "NETRAVEN_MODE": "development",
        }
        upgrade(postgres.url)
        (root / "inventory.json").write_text(json.dumps(inventory))
        for command in (["admin"], ["lab", str(root / "inventory.json")]):
            subprocess.run(
                [sys.executable, "-m", "netraven_api.bootstrap", *command],
                env=env,
                check=True,
                capture_output=True,
            )
        services = ServiceSet(root / "logs")
        try:
            for name in MEASURED:
                if name != "worker":
                    services.start_service(name, env, api_port if name == "api" else free_port())
                    continue
                module = bench_worker.__name__ if fake_sessions else SERVICE_MODULES[name]
                for worker_name, worker_env in _workers(env, workers):
                    port = free_port()
                    services.start_module(
                        worker_name,
                        module,
                        worker_env | {"NETRAVEN_HEALTH_PORT": str(port)},
                        f"http://127.0.0.1:{port}/health",
                    )
            services.wait_healthy()
            yield BenchStack(
                f"http://127.0.0.1:{api_port}",
                nats.url,
                postgres.url.replace("postgresql+asyncpg", "postgresql"),
            )
        finally:
            services.stop_all()


def _workers(env: dict[str, str], layout: WorkerLayout | None) -> list[tuple[str, dict[str, str]]]:
    """Each worker service to start, with its environment."""
    if layout is None:
        return [("worker", env)]
    if layout.supervised:  # the supervisor names its processes <id>-1, <id>-2, ...
        return [("worker", env | {"NETRAVEN_WORKER_ID": "bench-worker"})]
    names = [f"bench-worker-{index}" for index in range(1, layout.processes + 1)]
    single = {"NETRAVEN_WORKER_PROCESSES": "1"}
    return [(name, env | single | {"NETRAVEN_WORKER_ID": name}) for name in names]


def _environment() -> dict[str, str]:
    """This machine's environment without NETRAVEN_* settings: the bench brings its own servers."""
    return {key: value for key, value in os.environ.items() if not key.startswith("NETRAVEN_")}
