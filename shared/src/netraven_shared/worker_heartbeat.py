"""What a worker process says about itself every few seconds, in the `netraven-workers` KV bucket.

Written by each worker process under its own key, read by the api's `GET /api/workers`. A worker
that stops writing vanishes from the bucket after `HEARTBEAT_TTL_SECONDS`.
"""

import re
from datetime import datetime

from pydantic import BaseModel, Field

from netraven_shared.bus_streams import WORKERS_BUCKET

__all__ = ["HEARTBEAT_TTL_SECONDS", "WORKERS_BUCKET", "WorkerHeartbeat", "heartbeat_key"]
HEARTBEAT_TTL_SECONDS = 30.0
_NOT_A_KEY_CHARACTER = re.compile(r"[^-_=.a-zA-Z0-9]")


class WorkerHeartbeat(BaseModel):
    worker_id: str
    hostname: str
    pid: int
    version: str
    in_flight: int = Field(description="Device sessions this process is running now")
    capacity: int = Field(description="Device sessions this process runs at most at once")
    started_at: datetime
    last_seen_at: datetime


def heartbeat_key(worker_id: str) -> str:
    """NATS KV keys allow letters, digits and `-_=.`: anything else in a worker id becomes `_`."""
    return _NOT_A_KEY_CHARACTER.sub("_", worker_id)
