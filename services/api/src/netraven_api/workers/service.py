"""The worker processes alive now, from the heartbeats they write to the `netraven-workers`
bucket."""

from datetime import datetime, timedelta

from nats.js import JetStreamContext
from netraven_shared.events.worker_heartbeat import HEARTBEAT_TTL_SECONDS, WORKERS_BUCKET

from netraven_api.kv_statuses import live_statuses
from netraven_api.workers.schemas import WorkerOut


async def live_workers(js: JetStreamContext, now: datetime) -> list[WorkerOut]:
    """Workers seen within the last 30 s, sorted by id."""
    alive = await live_statuses(
        js,
        WORKERS_BUCKET,
        WorkerOut,
        lambda w: w.last_seen_at,
        timedelta(seconds=HEARTBEAT_TTL_SECONDS),
        now,
    )
    return sorted(alive, key=lambda worker: worker.worker_id)
