"""The worker's Prometheus families: how each backup attempt ended, and how long its device
session took. A counter increment and a histogram observation per device: nothing the P2
benchmark's per-device CPU would notice."""

import time
from collections.abc import Awaitable
from typing import TypeVar

from prometheus_client import Counter, Histogram

from netraven_worker.report import Outcome

BACKUPS = Counter(
    "netraven_backups",
    "Backup attempts by outcome (succeeded, failed, unreachable, skipped, busy) and platform",
    ["outcome", "platform"],
)
SESSION_SECONDS = Histogram(
    "netraven_backup_session_seconds",
    "Duration of a device session (login to the last command), successful or not",
    ["platform"],
    buckets=(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
)


def count_backup(outcome: Outcome | None, platform: str) -> None:
    """`outcome` None: the config was stored."""
    kind = "succeeded" if outcome is None else type(outcome).__name__.lower()
    BACKUPS.labels(kind, platform).inc()


T = TypeVar("T")


async def timed_session(platform: str, session: Awaitable[T]) -> T:
    started = time.monotonic()
    try:
        return await session
    finally:
        SESSION_SECONDS.labels(platform).observe(time.monotonic() - started)
