"""`make run`: the whole NetRaven stack on one machine, no Docker.

Embedded NATS (JetStream) and PostgreSQL unless NETRAVEN_NATS_URL / NETRAVEN_DATABASE_URL are
set; migrations (as the database owner); one PostgreSQL login per service; the first admin; a lab
of simulated devices registered with an hourly backup job (lab-rtr-NN over SSH with a password, and
the demo's extras: a key-only device, one behind an SSH bastion, Telnet, a PAN-OS XML API, Junos
NETCONF and a device given by DNS name; see netraven_lab.demo); then the six services as separate
processes, each logged in as its own user. Everything lives in `.netraven/` (or the directory
given as the first argument).

Fixed ports: API 8000 (its metrics 8100), NATS 14222 (with NETRAVEN_DEVSTACK_NATS_CLUSTER=3, a
3-node cluster on 14222-14224, routes on 15222-15224, streams at 3 replicas), PostgreSQL 15432,
service health and metrics 8101-8105, lab 10022-10033 (lab-rtr-NN, then the demo's extras).
NETRAVEN_DEVSTACK_PORT_OFFSET=N adds N to every one of them, so a second stack runs beside
`make run`: the browser tests use 10000 (API on 18000, NATS 24222, PostgreSQL 25432).
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path

from netraven_lab.demo import DEMO_PORTS

from netraven_devstack.bus_credentials import BusCredentials, site_names, write_integrator_kit
from netraven_devstack.database_logins import service_database_urls
from netraven_devstack.nats_cluster import NatsCluster, embedded_bus
from netraven_devstack.postgres_server import EmbeddedPostgres
from netraven_devstack.secrets_file import load_or_create_secrets
from netraven_devstack.service_set import SERVICE_MODULES, ServiceSet
from netraven_devstack.supervisor import Supervisor

LAB_DEVICES = 5
LAB_PORTS = LAB_DEVICES + DEMO_PORTS
PORT_OFFSET_VARIABLE = "NETRAVEN_DEVSTACK_PORT_OFFSET"


@dataclass(frozen=True)
class StackPorts:
    nats: int = 14222
    postgres: int = 15432
    api: int = 8000
    api_metrics: int = 8100
    scheduler: int = 8101
    worker: int = 8102
    log_collector: int = 8103
    gitkeeper: int = 8104
    notifier: int = 8105
    lab_base: int = 10022

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "StackPorts":
        """The default ports, each moved by NETRAVEN_DEVSTACK_PORT_OFFSET (0 when unset)."""
        raw = env.get(PORT_OFFSET_VARIABLE, "0").strip() or "0"
        defaults = cls()
        try:
            offset = int(raw)
        except ValueError:
            raise SystemExit(
                f"netraven: {PORT_OFFSET_VARIABLE}={raw!r} is not a whole number"
            ) from None
        highest = max(*asdict(defaults).values(), defaults.lab_base + LAB_PORTS - 1)
        if offset < 0 or highest + offset > 65535:
            raise SystemExit(
                f"netraven: {PORT_OFFSET_VARIABLE}={offset} puts ports outside 1-65535 "
                f"(use 0 to {65535 - highest})"
            )
        return cls(**{name: port + offset for name, port in asdict(defaults).items()})

    def health(self, service: str) -> int:
        """The health port of a service by its name in SERVICE_MODULES ("log-collector", ...)."""
        port: int = getattr(self, service.replace("-", "_"))
        return port


@dataclass(frozen=True)
class StackPaths:
    nats: Path
    bus: Path
    integrator: Path
    postgres: Path
    configs: Path
    logs: Path
    secrets: Path
    database_logins: Path
    inventory: Path
    demo: Path
    host_key: Path

    @classmethod
    def under(cls, root: Path) -> "StackPaths":
        return cls(
            nats=root / "nats" / "store",
            bus=root / "nats",
            integrator=root / "integrator",
            postgres=root / "postgres",
            configs=root / "configs",
            logs=root / "logs",
            secrets=root / "secrets.env",
            database_logins=root / "database-logins.env",
            inventory=root / "lab" / "inventory.json",
            demo=root / "lab" / "demo.json",
            host_key=root / "lab" / "host_key",
        )


def say(message: str) -> None:
    print(f"netraven: {message}", flush=True)


def ignore_interrupts() -> None:
    """Once stopping has begun, another Ctrl-C must not leave services or servers half-stopped;
    every stop step is bounded, so nothing can hang for long."""
    for caught in (signal.SIGINT, signal.SIGTERM):
        signal.signal(caught, signal.SIG_IGN)


def bootstrap(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", *command], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"netraven: `{' '.join(command)}` failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


def wait_for_file(path: Path, services: ServiceSet, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if services.exited() or time.monotonic() > deadline:
            raise SystemExit(
                f"netraven: the lab did not start:\n{services.services['lab'].log_tail()}"
            )
        time.sleep(0.2)


def run(root: Path, frontend_dist: Path) -> int:
    paths = StackPaths.under(root)
    ports = StackPorts.from_env(os.environ)
    # Development mode, said explicitly: a service told nothing runs in production mode.
    env = (
        dict(os.environ)
        | load_or_create_secrets(paths.secrets)
        | {"NETRAVEN_MODE": "development", "NETRAVEN_LOG_FORMAT": "json"}
    )
    credentials: BusCredentials | None = None
    with ExitStack() as infra:
        if "NETRAVEN_NATS_URL" not in os.environ:
            sites = site_names(os.environ.get("NETRAVEN_BUS_SITES", ""))
            credentials = BusCredentials(paths.bus, sites=sites).ensure()
            bus = embedded_bus(paths.nats, ports.nats, credentials, env)
            infra.enter_context(bus)
            env["NETRAVEN_NATS_URL"] = bus.url
            if isinstance(bus, NatsCluster):
                env.setdefault("NETRAVEN_STREAM_REPLICAS", str(len(bus.nodes)))
            write_integrator_kit(credentials, paths.integrator, bus.url.split(",")[0])
        if "NETRAVEN_DATABASE_URL" not in os.environ:
            env["NETRAVEN_DATABASE_URL"] = infra.enter_context(
                EmbeddedPostgres(data_dir=paths.postgres, port=ports.postgres)
            ).url
        say(f"NATS at {env['NETRAVEN_NATS_URL']}, PostgreSQL at {env['NETRAVEN_DATABASE_URL']}")
        bootstrap(["netraven_shared.db.migrate"], env)
        database_urls = service_database_urls(env["NETRAVEN_DATABASE_URL"], paths.database_logins)
        as_api = (
            env
            | (credentials.env_for("api") if credentials else {})
            | {"NETRAVEN_DATABASE_URL": database_urls["api"]}
        )
        admin = bootstrap(["netraven_api.bootstrap", "admin"], as_api)
        services = ServiceSet(paths.logs)
        try:
            paths.inventory.unlink(missing_ok=True)
            paths.demo.unlink(missing_ok=True)
            services.start(
                "lab",
                [
                    sys.executable,
                    "-m",
                    "netraven_lab",
                    "--devices",
                    str(LAB_DEVICES),
                    "--base-port",
                    str(ports.lab_base),
                    "--inventory",
                    str(paths.inventory),
                    "--host-key",
                    str(paths.host_key),
                    "--churn-seconds",
                    "600",
                    "--demo",
                    str(paths.demo),
                ],
                env,
            )
            wait_for_file(paths.inventory, services)
            say(
                bootstrap(
                    ["netraven_api.bootstrap", "lab", str(paths.inventory), str(paths.demo)],
                    as_api,
                ).removeprefix("NETRAVEN_LAB_REGISTERED ")
            )
            start_services(services, env, paths, ports, frontend_dist, credentials, database_urls)
            services.wait_healthy()
            announce(admin, frontend_dist, paths, ports, lab_device_count(paths))
            return supervise(services)
        finally:
            say("stopping services...")
            ignore_interrupts()
            services.stop_all()
            say("stopped")


def start_services(
    services: ServiceSet,
    env: dict[str, str],
    paths: StackPaths,
    ports: StackPorts,
    frontend_dist: Path,
    credentials: BusCredentials | None,
    database_urls: dict[str, str],
) -> None:
    """Each service logs in to PostgreSQL as its own user, and to NATS as its own identity when the
    stack runs its own NATS."""
    shared = env | {
        "NETRAVEN_FRONTEND_DIST": str(frontend_dist),
        "NETRAVEN_REPO_PATH": str(paths.configs),
    }
    for name in SERVICE_MODULES:
        identity = (credentials.env_for(name) if credentials else {}) | {
            "NETRAVEN_DATABASE_URL": database_urls[name]
        }
        services.start_service(
            name,
            shared | identity,
            ports.api if name == "api" else ports.health(name),
            ports.api_metrics,
        )


def lab_device_count(paths: StackPaths) -> int:
    demo = json.loads(paths.demo.read_text())
    return len(json.loads(paths.inventory.read_text())) + len(demo["devices"])


def announce(
    admin: str, frontend_dist: Path, paths: StackPaths, ports: StackPorts, lab_devices: int
) -> None:
    # "NETRAVEN_ADMIN_CREATED username=admin password=<generated or (from NETRAVEN_ADMIN_PASSWORD)>"
    created = re.fullmatch(r"NETRAVEN_ADMIN_CREATED username=(\S+) password=(.+)", admin)
    if created and created[2].startswith("(from"):
        login = f"{created[1]} / the password in NETRAVEN_ADMIN_PASSWORD"
    elif created:
        login = (
            f"{created[1]} / {created[2]}   (shown once; you choose a new one at the first sign-in)"
        )
    else:
        login = (
            "admin, with the password you chose at its first sign-in (or NETRAVEN_ADMIN_PASSWORD)"
        )
    dashboard = (
        ""
        if (frontend_dist / "index.html").exists()
        else "   (dashboard not built: run `make run` to build it)"
    )
    lines = [
        f"NetRaven is running: http://127.0.0.1:{ports.api}/{dashboard}",
        f"API docs:            http://127.0.0.1:{ports.api}/api/docs",
        f"Log in as:           {login}",
        (
            f"Lab:                 {lab_devices} simulated devices, backed up hourly "
            "by job 'Lab backup (hourly)'"
        ),
        f"Service logs:        {paths.logs}/",
        f"Connect a system:    {paths.integrator}/README.md",
        "Ctrl-C stops everything.",
    ]
    width = max(map(len, lines))
    print("\n".join(["", "=" * width, *lines, "=" * width, ""]), flush=True)


def supervise(services: ServiceSet) -> int:
    """Restart each service that dies: 0 on Ctrl-C, 1 once a service keeps dying."""
    try:
        reason = Supervisor(services, say).run()
    except KeyboardInterrupt:
        return 0
    say(reason)
    return 1
