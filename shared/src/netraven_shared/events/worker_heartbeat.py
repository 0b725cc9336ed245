"""What a worker process says about itself every few seconds, in the `netraven-workers` KV bucket.

Written by each worker process under its own key, read by the api's `GET /api/workers`. A worker
that stops writing vanishes from the bucket after `HEARTBEAT_TTL_SECONDS`.
"""

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from netraven_shared.bus_streams import WORKERS_BUCKET

__all__ = ["HEARTBEAT_TTL_SECONDS", "WORKERS_BUCKET", "WorkerHeartbeat", "heartbeat_key"]
HEARTBEAT_TTL_SECONDS = 30.0
_NOT_A_KEY_CHARACTER = re.compile(r"[^-_=.a-zA-Z0-9]")


class WorkerHeartbeat(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "worker_id": "worker-backup-host",
                    "hostname": "backup-host",
                    "pid": 4711,
                    "version": "0.1.0",
                    "in_flight": 3,
                    "capacity": 4,
                    "started_at": "2026-12-05T20:00:00Z",
                    "last_seen_at": "2026-12-05T20:05:00Z",
                }
            ]
        },
    )

    worker_id: str = Field(max_length=255)
    hostname: str = Field(max_length=255)
    pid: int
    version: str = Field(max_length=64)
    in_flight: int = Field(ge=0, description="Device sessions this process is running now")
    capacity: int = Field(ge=0, description="Device sessions this process runs at most at once")
    started_at: datetime
    last_seen_at: datetime


def heartbeat_key(worker_id: str) -> str:
    """NATS KV keys allow letters, digits and `-_=.`: anything else in a worker id becomes `_`."""
    return _NOT_A_KEY_CHARACTER.sub("_", worker_id)
