"""P1: NetRaven end to end against a plain Netmiko thread pool, same simulated devices, same
concurrency.

- baseline: a ThreadPoolExecutor doing what a script would (connect, enable, show running-config);
- NetRaven: one run through the api until every config is committed by gitkeeper, through the bus,
  one worker process with the same number of sessions, the run recorder and the log-collector.
"""

import asyncio
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from netmiko import ConnectHandler
from netraven_lab.inventory import inventory_entries
from netraven_lab.lab import Lab
from netraven_lab.profiles import DeviceProfile, make_lab_profiles

from netraven_bench.run import TimedRun, timed_run
from netraven_bench.stack import measured_stack


def back_up_with_netmiko(profile: DeviceProfile) -> int:
    with ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=profile.port,
        username=profile.username,
        password=profile.password,
        secret=profile.enable_secret,
    ) as connection:
        connection.enable()
        return len(connection.send_command("show running-config", read_timeout=60))


def baseline_rate(profiles: list[DeviceProfile], concurrency: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        sizes = list(pool.map(back_up_with_netmiko, profiles))
    assert all(sizes), "the baseline collected an empty config"
    return len(profiles) / (time.perf_counter() - started)


def _netraven_run(root: Path, profiles: list[DeviceProfile], concurrency: int) -> TimedRun:
    with measured_stack(root, inventory_entries(profiles, "127.0.0.1"), concurrency) as stack:
        return asyncio.run(timed_run(stack, len(profiles)))


async def measure_p1(
    devices: int, concurrency: int, config_bytes: int
) -> tuple[tuple[float, float], TimedRun]:
    """The baseline's devices/s just before and just after NetRaven's timed run, on the same lab: on
    a shared machine the load moves, and the two baselines show by how much."""
    profiles = make_lab_profiles(devices, config_bytes=config_bytes)
    async with Lab(profiles) as lab:
        before = await asyncio.to_thread(baseline_rate, lab.profiles, concurrency)
        with tempfile.TemporaryDirectory(prefix="netraven-bench-") as root:
            netraven = await asyncio.to_thread(_netraven_run, Path(root), lab.profiles, concurrency)
        after = await asyncio.to_thread(baseline_rate, lab.profiles, concurrency)
    return (before, after), netraven
