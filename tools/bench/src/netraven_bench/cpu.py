"""CPU seconds each part of the stack spends during a measured interval.

Every process this benchmark started (services, NATS, PostgreSQL and its backends) is found among
its descendants and named by its command line; the benchmark's own process holds the simulated
lab. Exited children are counted through their parent's `children_*` times.
"""

import os
from collections import Counter

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


def cpu_by_part() -> Counter[str]:
    me = psutil.Process(os.getpid())
    own = me.cpu_times()
    totals: Counter[str] = Counter({SELF: own.user + own.system})
    for child in me.children(recursive=True):
        label = _label(child)
        if label is not None:
            try:
                totals[label] += _seconds(child)
            except psutil.Error:
                continue
    return totals


def cpu_spent(before: Counter[str], after: Counter[str]) -> dict[str, float]:
    return {part: after[part] - before.get(part, 0.0) for part in sorted(after, key=lambda p: -(after[p] - before.get(p, 0.0)))}
