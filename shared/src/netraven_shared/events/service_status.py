"""What every service process says about itself every few seconds, in the `netraven-services` KV
bucket.

Each process writes under `<service>.<instance>`; the api's `GET /api/services` (and the dashboard's
services panel) reads the bucket. An entry expires three beats after its last write, so a process
that died vanishes on its own; a clean stop deletes it at once.
"""

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

SERVICES_BUCKET = "netraven-services"
BEAT_SECONDS = 5.0
STATUS_TTL_SECONDS = 3 * BEAT_SECONDS
_NOT_A_KEY_CHARACTER = re.compile(r"[^-_=a-zA-Z0-9]")


class ServiceStatus(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "service": "gitkeeper",
                    "instance": "backup-host-4711",
                    "pid": 4711,
                    "host": "backup-host",
                    "started_at": "2026-12-05T20:00:00Z",
                    "restarts": 2,
                    "ready": False,
                    "problem": "consumer loop stopped",
                    "seen_at": "2026-12-05T20:05:00Z",
                }
            ]
        },
    )

    service: str = Field(
        max_length=64, description="api, scheduler, worker, gitkeeper, log-collector or notifier"
    )
    instance: str = Field(
        max_length=255, description="Which process of the service: unique per host and process"
    )
    pid: int
    host: str = Field(max_length=255)
    started_at: datetime
    restarts: int = Field(
        ge=0, description="How many times `make run` restarted this service before this process"
    )
    ready: bool
    problem: str | None = Field(
        None, max_length=1000, description="Why the service is not ready, when it is not"
    )
    seen_at: datetime = Field(description="When the process wrote this status")


def status_key(service: str, instance: str) -> str:
    """`<service>.<instance>`: KV keys allow letters, digits and `-_=.`; anything else becomes
    `_`."""
    return f"{_NOT_A_KEY_CHARACTER.sub('_', service)}.{_NOT_A_KEY_CHARACTER.sub('_', instance)}"
