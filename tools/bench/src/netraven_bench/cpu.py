"""CPU seconds each part of the stack spends during a measured interval, and the memory it holds.

Every process this benchmark started (services, NATS, PostgreSQL and its backends) is found among
its descendants and named by its command line; the benchmark's own process holds the simulated
lab. Exited children are counted through their parent's `children_*` times.
"""

import os
from collections import defaultdict

import psutil

from netraven_bench import worker as bench_worker

SELF = "bench (lab, client)"


def _label(process: psutil.Process) -> str | None:
    try:
        argv = process.cmdline()
    except psutil.Error:
        return None
    for index, word in enumerate(argv[:-1]):
        if word == "-m" and argv[index + 1] == bench_worker.__name__:
            return "worker"  # P2's worker: NetRaven's, with the fake session
        if word == "-m" and argv[index + 1].startswith("netraven_"):
            return argv[index + 1].removeprefix("netraven_").replace("_", "-")
    text = " ".join(argv)
    if "nats-server" in text:
        return "nats"
    if "postgres" in text:
        return "postgres"
    return None


def _seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def _labelled_children() -> list[tuple[str, psutil.Process]]:
    children = psutil.Process(os.getpid()).children(recursive=True)
    return [(label, child) for child in children if (label := _label(child)) is not None]


def cpu_by_part() -> defaultdict[str, float]:
    own = psutil.Process(os.getpid()).cpu_times()
    totals = defaultdict(float, {SELF: own.user + own.system})
    for label, child in _labelled_children():
        try:
            totals[label] += _seconds(child)
        except psutil.Error:
            continue
    return totals


def rss_mib_by_part() -> defaultdict[str, float]:
    """Resident memory of each part now, its processes added up (the worker's, PostgreSQL's)."""
    totals: defaultdict[str, float] = defaultdict(float)
    for label, child in _labelled_children():
        try:
            totals[label] += child.memory_info().rss / 2**20
        except psutil.Error:
            continue
    return totals


def cpu_spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {
        part: after[part] - before.get(part, 0.0)
        for part in sorted(after, key=lambda p: -(after[p] - before.get(p, 0.0)))
    }
