"""Time one run through the api: from `POST /api/jobs/{id}/run` until the run is finished (every
config committed and recorded) and every consumer on the bus has drained (the log-collector has
written every log line it was sent).

Progress is read from PostgreSQL and NATS rather than by polling `GET /api/runs/{id}`, whose
per-device detail would load the api being measured; the run's own `finished_at` marks its end.
When each consumer was last seen busy tells which stage held the run up. With `rss`, each part's
resident memory is taken when the run starts, when half its devices have succeeded and at the end:
a fleet whose memory stays flat from middle to end holds nothing per device.
"""

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg
import httpx
import nats
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from netraven_shared.messaging import STREAMS

from netraven_bench.cpu import cpu_by_part, cpu_spent, rss_mib_by_part
from netraven_bench.stack import ADMIN_PASSWORD, BenchStack

POLL_SECONDS = 0.05
# While the run goes on, the consumers are sampled less often: asking NATS for every consumer's
# state 20 times a second cost the measured NATS as much as a tenth of its per-device CPU.
CONSUMERS_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class TimedRun:
    devices: int
    run_seconds: float
    drained_seconds: float
    cpu_seconds: dict[str, float]
    drained_at: dict[str, float]
    rss_mib: dict[str, tuple[float, ...]] = field(default_factory=dict)  # start, middle, end

    @property
    def rate(self) -> float:
        return self.devices / self.run_seconds


async def timed_run(stack: BenchStack, devices: int, rss: bool = False) -> TimedRun:
    async with httpx.AsyncClient(base_url=stack.api_url, timeout=120) as client:
        token = (
            await client.post(
                "/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
            )
        ).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        job_id = (await client.get("/api/jobs")).json()["items"][0]["id"]
        database, bus = (
            await asyncpg.connect(stack.database_dsn),
            await nats.connect(stack.nats_url),
        )
        try:
            progress = _Progress(devices, rss_at_start=rss_mib_by_part() if rss else None)
            cpu_before, started = cpu_by_part(), time.time()
            run_id = (await client.post(f"/api/jobs/{job_id}/run")).json()["run_id"]
            await _until_done(database, bus, run_id, started, progress)
            drained_seconds, cpu_after = time.time() - started, cpu_by_part()
            rss_at_end = rss_mib_by_part() if rss else None
        finally:
            await database.close()
            await bus.close()
        run = (await client.get(f"/api/runs/{run_id}")).json()
    if run["succeeded"] != devices:
        raise SystemExit(
            f"bench: only {run['succeeded']} of {devices} devices succeeded: {run['status']}"
        )
    drained_at = dict(sorted(progress.last_busy.items(), key=lambda item: item[1]))
    if progress.finished_at is None:
        raise SystemExit(f"bench: run {run_id} has no finish time: {run['status']}")
    return TimedRun(
        devices,
        progress.finished_at.timestamp() - started,
        drained_seconds,
        cpu_spent(cpu_before, cpu_after),
        drained_at,
        _rss_table(progress, rss_at_end),
    )


@dataclass
class _Progress:
    devices: int
    rss_at_start: defaultdict[str, float] | None = None
    rss_at_middle: defaultdict[str, float] | None = None
    finished_at: datetime | None = None
    last_busy: dict[str, float] = field(default_factory=dict)


def _rss_table(
    progress: _Progress, at_end: defaultdict[str, float] | None
) -> dict[str, tuple[float, ...]]:
    """Each part's RSS at (start, middle, end), largest first; empty when not taken."""
    start, middle = progress.rss_at_start, progress.rss_at_middle
    if start is None or middle is None or at_end is None:
        return {}
    largest_first = sorted(at_end, key=lambda part: -at_end[part])
    return {part: (start[part], middle[part], at_end[part]) for part in largest_first}


async def _until_done(
    database: asyncpg.Connection, bus: NatsClient, run_id: str, started: float, progress: _Progress
) -> None:
    """Until the run is finished and no consumer has work left, noting when each consumer was last
    busy (and, when asked, each part's memory once half the devices have succeeded)."""
    js = bus.jetstream()
    sampled_at = 0.0
    while True:
        if progress.finished_at is None:
            row = await database.fetchrow(
                "SELECT finished_at, succeeded_count FROM runs WHERE id = $1", run_id
            )
            if row is None:
                raise SystemExit(f"bench: run {run_id} is not in the database")
            progress.finished_at, succeeded = row
            halfway = 2 * succeeded >= progress.devices
            if progress.rss_at_start is not None and progress.rss_at_middle is None and halfway:
                progress.rss_at_middle = rss_mib_by_part()
        finished = progress.finished_at is not None
        if finished or time.time() - sampled_at >= CONSUMERS_POLL_SECONDS:
            sampled_at = time.time()
            if not await _consumers_busy(js, progress, started) and finished:
                return
        await asyncio.sleep(POLL_SECONDS)


async def _consumers_busy(js: JetStreamContext, progress: _Progress, started: float) -> bool:
    """Whether any consumer has work pending or unacked, noting when each was last seen so."""
    busy = False
    for stream in (config.name for config in STREAMS if config.name):
        for consumer in await js.consumers_info(stream):
            if consumer.num_pending or consumer.num_ack_pending:
                busy, progress.last_busy[consumer.name] = True, time.time() - started
    return busy
