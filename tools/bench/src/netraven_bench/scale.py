"""The scale figure: P2's fleet against 1, 2, 4, ... worker processes, each a single-process worker
service sharing the worker durable, as containers scale, or (`supervised`) the processes of one
worker service's supervisor; a fresh stack for each count, so every run stores new configs.

Each worker process keeps the same number of sessions, so adding one adds capacity as adding a
container would. The bench's own connection hears every `DeviceBackupStarted` (whose `worker_id`
says which process took the device) and every `DeviceBackedUp` on core NATS: a device backed up
twice, or never, fails the run.
"""

import asyncio
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nats
from nats.aio.msg import Msg
from netraven_shared.events import subjects

from netraven_bench.p2 import fake_inventory
from netraven_bench.run import TimedRun, timed_run
from netraven_bench.stack import BenchStack, WorkerLayout, measured_stack


class DuplicateBackup(SystemExit):
    """A device backed up more than once (or not at all) in a run that should back each up once."""


@dataclass
class BackupTally:
    """Who started each backup and how often each device was backed up, as heard on the bus."""

    started_by: Counter[str]
    backed_up: Counter[str]

    @classmethod
    def empty(cls) -> "BackupTally":
        return cls(Counter(), Counter())

    async def started(self, message: Msg) -> None:
        self.started_by[json.loads(message.data)["worker_id"]] += 1

    async def succeeded(self, message: Msg) -> None:
        self.backed_up[json.loads(message.data)["device_id"]] += 1

    def check_once_each(self, devices: int) -> None:
        """Each of `devices` backed up exactly once, or DuplicateBackup saying which were not."""
        twice = {device: count for device, count in self.backed_up.items() if count > 1}
        if twice:
            shown = ", ".join(f"{device} x{count}" for device, count in sorted(twice.items())[:5])
            raise DuplicateBackup(
                f"bench: {len(twice)} device(s) backed up more than once: {shown}"
            )
        if len(self.backed_up) != devices:
            raise DuplicateBackup(
                f"bench: {len(self.backed_up)} of {devices} devices were backed up"
            )


@dataclass(frozen=True)
class ScaleRun:
    processes: int
    sessions: int
    run: TimedRun
    tally: BackupTally
    load_average: float  # the machine's, over the minute before the run ended


def measure_scale(
    devices: int, processes: int, sessions_per_process: int, supervised: bool = False
) -> ScaleRun:
    """One run of `devices` fake-session devices against `processes` worker processes."""
    sessions = sessions_per_process * processes
    with (
        tempfile.TemporaryDirectory(prefix="netraven-bench-scale-") as root,
        measured_stack(
            Path(root),
            fake_inventory(devices),
            sessions,
            fake_sessions=True,
            workers=WorkerLayout(processes, supervised),
        ) as stack,
    ):
        run, tally = asyncio.run(_tallied_run(stack, devices))
        load_average = os.getloadavg()[0]
    tally.check_once_each(devices)
    return ScaleRun(processes, sessions, run, tally, load_average)


async def _tallied_run(stack: BenchStack, devices: int) -> tuple[TimedRun, BackupTally]:
    tally = BackupTally.empty()
    bus = await nats.connect(stack.nats_url)
    try:
        await bus.subscribe(subjects.BACKUP_STARTED, cb=tally.started)
        await bus.subscribe(subjects.BACKUP_SUCCEEDED, cb=tally.succeeded)
        await bus.flush()
        run = await timed_run(stack, devices)
        await bus.drain()  # every message the server sent is handled before the tally is read
    finally:
        await bus.close()
    return run, tally


def spread(tally: BackupTally) -> str:
    """Devices started by each worker process, with its share: `bench-worker-1 1012 (51%), ...`."""
    total = sum(tally.started_by.values())
    return ", ".join(
        f"{worker} {count} ({100 * count / total:.0f}%)"
        for worker, count in sorted(tally.started_by.items())
    )
