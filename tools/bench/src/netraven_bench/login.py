"""A login flood must not slow the rest of the api: p95 of GET /api/health without and with
50 parallel wrong-password logins. Not a test: a measurement to read.

    .venv/bin/python -m netraven_bench.login               starts its own api (embedded
                                                           NATS/PostgreSQL)
    .venv/bin/python -m netraven_bench.login --url URL     measures a running api

The api it starts has the backoff switched off, as for a flood spread over many addresses: from a
single address the backoff would answer 429 after five tries without hashing anything.
"""

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import free_port
from netraven_devstack.postgres_server import EmbeddedPostgres
from netraven_devstack.service_set import ServiceSet
from netraven_shared.db.migrate import upgrade

from netraven_bench.stack import MEASURED, _environment

ATTACKERS = 50
HEALTH_PROBES = 40


async def health_p95_ms(client: httpx.AsyncClient) -> float:
    timings = []
    for _ in range(HEALTH_PROBES):
        started = time.perf_counter()
        (await client.get("/api/health")).raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.02)
    return statistics.quantiles(timings, n=20)[-1]


async def attack(client: httpx.AsyncClient, stop: asyncio.Event) -> int:
    attempts = 0
    while not stop.is_set():
        await client.post(
            "/api/auth/token", data={"username": "admin", "password": "not-the-password"}
        )
        attempts += 1
    return attempts


async def measure(url: str) -> None:
    limits = httpx.Limits(max_connections=ATTACKERS + 5)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        quiet = await health_p95_ms(client)
        print(f"GET /api/health p95 without attack: {quiet:.1f} ms", flush=True)
        stop = asyncio.Event()
        attackers = [asyncio.create_task(attack(client, stop)) for _ in range(ATTACKERS)]
        await asyncio.sleep(1)
        started = time.perf_counter()
        flooded = await health_p95_ms(client)
        stop.set()
        attempts = sum(await asyncio.gather(*attackers))
        rate = attempts / (time.perf_counter() - started + 1)
    print(
        f"GET /api/health p95 with {ATTACKERS} parallel wrong-password logins: {flooded:.1f} ms "
        f"({attempts} attempts, ~{rate:.0f}/s); {flooded / quiet:.1f}x the quiet p95, target 50 ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running api; without it one is started")
    args = parser.parse_args()
    if args.url:
        asyncio.run(measure(args.url))
        return
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        with (
            EmbeddedNats(store_dir=root / "nats", port=free_port()) as nats,
            EmbeddedPostgres(data_dir=root / "pg", port=free_port(), fast=True) as postgres,
        ):
            env = {
                **_environment(),
                "NETRAVEN_NATS_URL": nats.url,
                "NETRAVEN_DATABASE_URL": postgres.url,
                "NETRAVEN_MODE": "development",
                "NETRAVEN_REPO_PATH": str(root / "configs"),
                "NETRAVEN_ADMIN_PASSWORD": "bench-admin-password",
                "NETRAVEN_LOGIN_BACKOFF_AFTER_FAILURES": "1000000000",
            }
            upgrade(postgres.url)
            subprocess.run(
                [sys.executable, "-m", "netraven_api.bootstrap", "admin"],
                env=env,
                check=True,
                capture_output=True,
            )
            services, port = ServiceSet(root / "logs"), free_port()
            try:
                for name in MEASURED:  # the api waits for the streams the others declare
                    services.start_service(name, env, port if name == "api" else free_port())
                services.wait_healthy()
                asyncio.run(measure(f"http://127.0.0.1:{port}"))
            finally:
                services.stop_all()


if __name__ == "__main__":
    main()
