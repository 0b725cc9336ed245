"""Time one run through the api: from `POST /api/jobs/{id}/run` until the run is finished (every
config committed and recorded) and every consumer on the bus has drained (the log-collector has
written every log line it was sent).

Progress is read from PostgreSQL and NATS rather than by polling `GET /api/runs/{id}`, whose
per-device detail would load the api being measured; the run's own `finished_at` marks its end.
When each consumer was last seen busy tells which stage held the run up.
"""

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg
import httpx
import nats

from netraven_bench.cpu import cpu_by_part, cpu_spent
from netraven_bench.stack import ADMIN_PASSWORD, BenchStack
from netraven_shared.messaging import STREAMS

POLL_SECONDS = 0.05


@dataclass(frozen=True)
class TimedRun:
    devices: int
    run_seconds: float
    drained_seconds: float
    cpu_seconds: dict[str, float]
    drained_at: dict[str, float]

    @property
    def rate(self) -> float:
        return self.devices / self.run_seconds


async def timed_run(stack: BenchStack, devices: int) -> TimedRun:
    async with httpx.AsyncClient(base_url=stack.api_url, timeout=120) as client:
        token = (await client.post("/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD})).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        job_id = (await client.get("/api/jobs")).json()["items"][0]["id"]
        database, bus = await asyncpg.connect(stack.database_dsn), await nats.connect(stack.nats_url)
        try:
            cpu_before, started = cpu_by_part(), time.time()
            run_id = (await client.post(f"/api/jobs/{job_id}/run")).json()["run_id"]
            progress = await _until_done(database, bus, run_id, started)
            drained_seconds, cpu_after = time.time() - started, cpu_by_part()
        finally:
            await database.close()
            await bus.close()
        run = (await client.get(f"/api/runs/{run_id}")).json()
    if run["succeeded"] != devices:
        raise SystemExit(f"bench: only {run['succeeded']} of {devices} devices succeeded: {run['status']}")
    drained_at = dict(sorted(progress.last_busy.items(), key=lambda item: item[1]))
    return TimedRun(devices, progress.finished_at.timestamp() - started, drained_seconds, cpu_spent(cpu_before, cpu_after), drained_at)


@dataclass
class _Progress:
    finished_at: datetime | None = None
    last_busy: dict[str, float] = field(default_factory=dict)


async def _until_done(database: asyncpg.Connection, bus: nats.NATS, run_id: str, started: float) -> _Progress:
    """Until the run is finished and no consumer has work left, noting when each consumer was last busy."""
    js, progress = bus.jetstream(), _Progress()
    while True:
        if progress.finished_at is None:
            progress.finished_at = await database.fetchval("SELECT finished_at FROM runs WHERE id = $1", run_id)
        busy = False
        for stream in STREAMS:
            for consumer in await js.consumers_info(stream.name):
                if consumer.num_pending or consumer.num_ack_pending:
                    busy, progress.last_busy[consumer.name] = True, time.time() - started
        if progress.finished_at is not None and not busy:
            return progress
        await asyncio.sleep(POLL_SECONDS)
