"""A run's progress as the api committed it, announced live on core NATS to every api replica.

Not kept on JetStream: it is a hint for open dashboards, which fetch the run when they need more,
and a dashboard that missed one fetches the list again when its stream reconnects. The counts are
the run's own tallies; `occurred_at` is when the change was committed.
"""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import ConfigDict, Field

from netraven_shared.events import subjects
from netraven_shared.events.base import INT32_MAX, Event
from netraven_shared.events.jobs import RunKind

RunState = Literal["queued", "running", "succeeded", "failed", "partial", "cancelled"]
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]


class RunProgressed(Event):
    """A run was started, a device's result was recorded, or the run was cancelled."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f",
                    "occurred_at": "2026-12-06T04:40:12Z",
                    "schema_version": 1,
                    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                    "job_id": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
                    "kind": "backup",
                    "status": "running",
                    "device_count": 12,
                    "succeeded_count": 7,
                    "failed_count": 1,
                    "started_at": "2026-12-06T04:40:01Z",
                    "finished_at": None,
                }
            ]
        }
    )
    subject = subjects.RUN_PROGRESSED

    run_id: UUID
    job_id: UUID | None = None
    kind: RunKind
    status: RunState
    device_count: Count
    succeeded_count: Count
    failed_count: Count
    started_at: datetime | None = None
    finished_at: datetime | None = None
