"""P2: what the platform costs per device, with the SSH step replaced by an instant fake session.

The same stack and run as P1, but the worker is the benchmark's own (`netraven_bench.worker`, with
`fake_session`), so what is left is the bus, the worker around SSH, gitkeeper (one new
version per device), the run recorder and the log-collector.
"""

import asyncio
import tempfile
from pathlib import Path

from netraven_lab.profiles import lab_hostname

from netraven_bench.run import TimedRun, timed_run
from netraven_bench.stack import measured_stack


def fake_inventory(devices: int) -> list[dict]:
    return [
        {
            "hostname": lab_hostname(number, devices),
            "ip_address": "192.0.2.1",
            "port": 22,
            "device_type": "cisco_ios",
            "username": "netraven",
            "password": "netraven",
            "enable_secret": "netraven-enable",
        }
        for number in range(1, devices + 1)
    ]


def measure_p2(devices: int, concurrency: int, rss: bool = False) -> TimedRun:
    with (
        tempfile.TemporaryDirectory(prefix="netraven-bench-p2-") as root,
        measured_stack(
            Path(root), fake_inventory(devices), concurrency, fake_sessions=True
        ) as stack,
    ):
        return asyncio.run(timed_run(stack, devices, rss))
