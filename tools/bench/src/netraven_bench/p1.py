"""P1: NetRaven end to end against a plain Netmiko thread pool, same simulated devices, same
concurrency.

- baseline: a ThreadPoolExecutor doing what a script collecting the same data would: connect,
  enable, then the commands NetRaven's driver for the lab's platform sends (its config commands and
  the outputs kept beside the config: `show running-config`, `show version`, `show inventory`);
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
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.drivers.spec import DriverSpec

from netraven_bench.run import TimedRun, timed_run
from netraven_bench.stack import measured_stack

LAB_PLATFORM = "cisco_ios"


def driver_commands(spec: DriverSpec) -> list[str]:
    """What NetRaven's worker sends after enable: the same work is asked of the baseline."""
    return [
        *spec.setup_commands,
        *spec.config_commands,
        *(output.command for output in spec.outputs),
    ]


def back_up_with_netmiko(profile: DeviceProfile, commands: list[str]) -> int:
    with ConnectHandler(
        device_type=LAB_PLATFORM,
        host="127.0.0.1",
        port=profile.port,
        username=profile.username,
        password=profile.password,
        secret=profile.enable_secret,
    ) as connection:
        connection.enable()
        outputs = [connection.send_command(command, read_timeout=60) for command in commands]
        return min(len(output) for output in outputs)


def baseline_rate(profiles: list[DeviceProfile], concurrency: int) -> float:
    commands = driver_commands(DriverCatalog.load().driver_for(LAB_PLATFORM))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        sizes = list(pool.map(lambda profile: back_up_with_netmiko(profile, commands), profiles))
    assert all(sizes), "the baseline collected an empty output"
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
