"""`make bench`: NetRaven's end-to-end backup rate against a plain Netmiko thread pool.

Both run in this one invocation against the same simulated devices, at the same concurrency:
- baseline: a ThreadPoolExecutor doing what a script would (connect, enable, show running-config);
- NetRaven: `POST /api/jobs/{id}/run` until every device's config is committed by gitkeeper,
  through the bus, the worker (one process, the same number of sessions), gitkeeper and the
  log-collector, on embedded NATS and PostgreSQL.
The ratio is NetRaven's devices/s over the baseline's.
"""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from netmiko import ConnectHandler

from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import free_port
from netraven_devstack.postgres_server import EmbeddedPostgres
from netraven_devstack.service_set import ServiceSet
from netraven_lab.inventory import write_inventory
from netraven_lab.lab import Lab
from netraven_lab.profiles import DeviceProfile, make_lab_profiles
from netraven_shared.db.migrate import upgrade

ADMIN_PASSWORD = "bench-admin-password"
MEASURED = ("api", "worker", "gitkeeper", "log-collector")  # the scheduler is not on the measured path


def back_up_with_netmiko(profile: DeviceProfile) -> int:
    with ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=profile.port, username=profile.username,
                        password=profile.password, secret=profile.enable_secret) as connection:
        connection.enable()
        return len(connection.send_command("show running-config", read_timeout=60))


def baseline_rate(profiles: list[DeviceProfile], concurrency: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        sizes = list(pool.map(back_up_with_netmiko, profiles))
    assert all(sizes), "the baseline collected an empty config"
    return len(profiles) / (time.perf_counter() - started)


def netraven_rate(root: Path, profiles: list[DeviceProfile], concurrency: int) -> float:
    with EmbeddedNats(store_dir=root / "nats", port=free_port()) as nats, \
            EmbeddedPostgres(data_dir=root / "pg", port=free_port(), fast=True) as postgres:
        api_port = free_port()
        env = {**_environment(), "NETRAVEN_NATS_URL": nats.url, "NETRAVEN_DATABASE_URL": postgres.url,
               "NETRAVEN_REPO_PATH": str(root / "configs"), "NETRAVEN_CONCURRENCY": str(concurrency),
               "NETRAVEN_ADMIN_PASSWORD": ADMIN_PASSWORD, "NETRAVEN_LOG_FORMAT": "json"}
        upgrade(postgres.url)
        write_inventory(root / "inventory.json", profiles, "127.0.0.1")
        for command in (["admin"], ["lab", str(root / "inventory.json")]):
            subprocess.run([sys.executable, "-m", "netraven_api.bootstrap", *command], env=env, check=True, capture_output=True)
        services = ServiceSet(root / "logs")
        try:
            for name in MEASURED:
                services.start_service(name, env, api_port if name == "api" else free_port())
            services.wait_healthy()
            return _timed_run(f"http://127.0.0.1:{api_port}", len(profiles))
        finally:
            services.stop_all()


def _timed_run(api: str, devices: int) -> float:
    with httpx.Client(base_url=api, timeout=30) as client:
        token = client.post("/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        job_id = client.get("/api/jobs").json()["items"][0]["id"]
        started = time.perf_counter()
        run_id = client.post(f"/api/jobs/{job_id}/run").json()["run_id"]
        while (run := client.get(f"/api/runs/{run_id}").json())["status"] in ("queued", "running"):
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    if run["succeeded"] != devices:
        raise SystemExit(f"bench: only {run['succeeded']} of {devices} devices succeeded: {run['status']}")
    return devices / elapsed


def _environment() -> dict[str, str]:
    """This machine's environment without NETRAVEN_* settings: the bench brings its own servers."""
    return {key: value for key, value in os.environ.items() if not key.startswith("NETRAVEN_")}


async def measure(devices: int, concurrency: int, config_bytes: int) -> tuple[float, float]:
    profiles = make_lab_profiles(devices, config_bytes=config_bytes)
    async with Lab(profiles) as lab:
        baseline = await asyncio.to_thread(baseline_rate, lab.profiles, concurrency)
        with tempfile.TemporaryDirectory(prefix="netraven-bench-") as root:
            netraven = await asyncio.to_thread(netraven_rate, Path(root), lab.profiles, concurrency)
    return baseline, netraven


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, nargs="+", default=[200])
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--config-bytes", type=int, default=2048)
    args = parser.parse_args()
    print(f"{'devices':>8} {'sessions':>8} {'netmiko pool /s':>16} {'NetRaven /s':>12} {'ratio':>6}  (P1, config ~{args.config_bytes} B)")
    for devices in args.devices:
        baseline, netraven = asyncio.run(measure(devices, args.concurrency, args.config_bytes))
        print(f"{devices:>8} {args.concurrency:>8} {baseline:>16.1f} {netraven:>12.1f} {netraven / baseline:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
