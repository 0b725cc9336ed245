import json
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, ConfigDict, Field

from netraven_shared.events import subjects
from netraven_shared.events.base import Event

LogLevel = Literal["debug", "info", "warning", "error"]
LogType = Literal["job", "connection", "config", "system", "bus"]
EXTRA_MAX_BYTES = 8 * 1024


def _fits_extra(extra: dict[str, Any]) -> dict[str, Any]:
    if len(json.dumps(extra, default=str).encode()) > EXTRA_MAX_BYTES:
        raise ValueError(f"extra is over {EXTRA_MAX_BYTES} bytes as JSON")
    return extra


Extra = Annotated[dict[str, Any], Field(max_length=50), AfterValidator(_fits_extra)]


class LogEmitted(Event):
    """One line of the unified operator log. Never carries a secret or config text."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a",
                    "occurred_at": "2026-11-23T10:00:05Z",
                    "schema_version": 1,
                    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                    "level": "info",
                    "log_type": "connection",
                    "message": "connected to core-sw-01 (10.0.0.1:22) as lab-admin",
                    "source": "worker",
                    "job_id": None,
                    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "extra": {"elapsed_ms": 812},
                }
            ]
        }
    )
    subject = subjects.LOG_EMITTED

    level: LogLevel
    log_type: LogType
    message: str = Field(min_length=1, max_length=4000)
    source: str = Field(min_length=1, max_length=50)
    job_id: UUID | None = None
    run_id: UUID | None = None
    device_id: UUID | None = None
    extra: Extra = Field(default_factory=dict)
