"""`make run`: the whole NetRaven stack on one machine, no Docker.

Embedded NATS (JetStream) and PostgreSQL unless NETRAVEN_NATS_URL / NETRAVEN_DATABASE_URL are
set; migrations; the first admin; a lab of simulated SSH devices registered with an hourly
backup job; then the five services as separate processes. Everything lives in `.netraven/`.
"""

import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.postgres_server import EmbeddedPostgres
from netraven_devstack.secrets_file import load_or_create_secrets
from netraven_devstack.service_set import SERVICE_MODULES, ServiceSet

NATS_PORT = 14222
POSTGRES_PORT = 15432
API_PORT = 8000
HEALTH_PORTS = {"scheduler": 8101, "worker": 8102, "log-collector": 8103, "gitkeeper": 8104}
LAB_DEVICES = 5
LAB_BASE_PORT = 10022


@dataclass(frozen=True)
class StackPaths:
    nats: Path
    postgres: Path
    configs: Path
    logs: Path
    secrets: Path
    inventory: Path
    host_key: Path

    @classmethod
    def under(cls, root: Path) -> "StackPaths":
        return cls(
            nats=root / "nats", postgres=root / "postgres", configs=root / "configs", logs=root / "logs",
            secrets=root / "secrets.env", inventory=root / "lab" / "inventory.json", host_key=root / "lab" / "host_key",
        )


def say(message: str) -> None:
    print(f"netraven: {message}", flush=True)


def bootstrap(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-m", *command], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"netraven: `{' '.join(command)}` failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


def wait_for_file(path: Path, services: ServiceSet, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if services.exited() or time.monotonic() > deadline:
            raise SystemExit(f"netraven: the lab did not start:\n{services.services['lab'].log_tail()}")
        time.sleep(0.2)


def run(root: Path, frontend_dist: Path) -> int:
    paths = StackPaths.under(root)
    env = dict(os.environ) | load_or_create_secrets(paths.secrets) | {"NETRAVEN_LOG_FORMAT": "json"}
    with ExitStack() as infra:
        if "NETRAVEN_NATS_URL" not in os.environ:
            env["NETRAVEN_NATS_URL"] = infra.enter_context(EmbeddedNats(store_dir=paths.nats, port=NATS_PORT)).url
        if "NETRAVEN_DATABASE_URL" not in os.environ:
            env["NETRAVEN_DATABASE_URL"] = infra.enter_context(EmbeddedPostgres(data_dir=paths.postgres, port=POSTGRES_PORT)).url
        say(f"NATS at {env['NETRAVEN_NATS_URL']}, PostgreSQL at {env['NETRAVEN_DATABASE_URL']}")
        bootstrap(["netraven_shared.db.migrate"], env)
        admin = bootstrap(["netraven_api.bootstrap", "admin"], env)
        services = ServiceSet(paths.logs)
        try:
            paths.inventory.unlink(missing_ok=True)
            services.start("lab", [sys.executable, "-m", "netraven_lab", "--devices", str(LAB_DEVICES), "--base-port", str(LAB_BASE_PORT),
                                   "--inventory", str(paths.inventory), "--host-key", str(paths.host_key), "--churn-seconds", "600"], env)
            wait_for_file(paths.inventory, services)
            say(bootstrap(["netraven_api.bootstrap", "lab", str(paths.inventory)], env).removeprefix("NETRAVEN_LAB_REGISTERED "))
            start_services(services, env, paths, frontend_dist)
            services.wait_healthy()
            announce(admin, frontend_dist, paths, json.loads(paths.inventory.read_text()))
            return supervise(services)
        finally:
            say("stopping services...")
            services.stop_all()
            say("stopped")


def start_services(services: ServiceSet, env: dict[str, str], paths: StackPaths, frontend_dist: Path) -> None:
    for name, module in SERVICE_MODULES.items():
        own = dict(env)
        if name == "api":
            own |= {"NETRAVEN_PORT": str(API_PORT), "NETRAVEN_FRONTEND_DIST": str(frontend_dist)}
            health = f"http://127.0.0.1:{API_PORT}/api/health"
        else:
            own |= {"NETRAVEN_HEALTH_PORT": str(HEALTH_PORTS[name]), "NETRAVEN_REPO_PATH": str(paths.configs)}
            health = f"http://127.0.0.1:{HEALTH_PORTS[name]}/health"
        services.start_module(name, module, own, health)


def announce(admin: str, frontend_dist: Path, paths: StackPaths, inventory: list[dict]) -> None:
    if admin.startswith("NETRAVEN_ADMIN_CREATED"):
        fields = dict(part.split("=", 1) for part in admin.split()[1:])
        login = f"{fields['username']} / {fields['password']}   (shown once: note it now)"
    else:
        login = "admin, with the password shown at the first start (or NETRAVEN_ADMIN_PASSWORD)"
    dashboard = "" if (frontend_dist / "index.html").exists() else "   (dashboard not built: run `make run` to build it)"
    lines = [
        f"NetRaven is running: http://127.0.0.1:{API_PORT}/{dashboard}",
        f"API docs:            http://127.0.0.1:{API_PORT}/api/docs",
        f"Log in as:           {login}",
        f"Lab:                 {len(inventory)} simulated devices, backed up hourly by job 'Lab backup (hourly)'",
        f"Service logs:        {paths.logs}/",
        "Ctrl-C stops everything.",
    ]
    width = max(map(len, lines))
    print("\n".join(["", "=" * width, *lines, "=" * width, ""]), flush=True)


def supervise(services: ServiceSet) -> int:
    try:
        while not services.exited():
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    for service in services.exited():
        say(f"{service.name} exited with status {service.process.returncode}; its log ends:\n{service.log_tail()}")
    return 1
