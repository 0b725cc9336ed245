import json
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, ConfigDict, Field

from netraven_shared.events import subjects
from netraven_shared.events.base import Event

LogLevel = Literal["debug", "info", "warning", "error"]
LogType = Literal["job", "connection", "config", "system", "bus"]
EXTRA_MAX_BYTES = 8 * 1024
# The most lines one `LogLinesEmitted` may carry: the largest batch a service announces at once
# (gitkeeper's 500 configs). The logs stream's 64 KiB message cap usually binds first (a
# gitkeeper line is about 450 bytes: some 130 lines a message); `log_batches` splits by both.
LINES_MAX = 500


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


class LogLinesEmitted(Event):
    """Several lines of the unified operator log in one message: a batch's lines, published
    together. Each line keeps its own `event_id`, so the log stores every line once, whichever
    message (or redelivery) brought it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "5c4b3a29-1807-4f6e-9d5c-4b3a29180706",
                    "occurred_at": "2026-11-23T10:00:09Z",
                    "schema_version": 1,
                    "correlation_id": "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
                    "lines": [
                        {
                            "event_id": "6e1f0a2b-3c4d-5e6f-8a7b-9c0d1e2f3a4b",
                            "occurred_at": "2026-11-23T10:00:08Z",
                            "schema_version": 1,
                            "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                            "level": "info",
                            "log_type": "config",
                            "message": "core-sw-01: new version 3f2e1d0c9b (4 lines changed)",
                            "source": "gitkeeper",
                            "job_id": None,
                            "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                            "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                            "extra": {"commit": "3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e"},
                        },
                        {
                            "event_id": "7f2a1b3c-4d5e-5f6a-9b8c-0d1e2f3a4b5c",
                            "occurred_at": "2026-11-23T10:00:08Z",
                            "schema_version": 1,
                            "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                            "level": "info",
                            "log_type": "config",
                            "message": "edge-rtr-02: unchanged since the last backup",
                            "source": "gitkeeper",
                            "job_id": None,
                            "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                            "device_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                            "extra": {"commit": "0e9d8c7b6a5f4e3f2e1d0c9b8a7f6e5d4c3b2a1f"},
                        },
                    ],
                }
            ]
        }
    )
    subject = subjects.LOG_LINES_EMITTED

    lines: list[LogEmitted] = Field(min_length=1, max_length=LINES_MAX)


def lines_in(subject: str, data: bytes) -> list[LogEmitted]:
    """The log lines a message carries: one on `LOG_EMITTED`, several on `LOG_LINES_EMITTED`. For
    whoever listens to the live log on the bus (both subjects: `LOG_LINE_SUBJECTS`)."""
    if subject == subjects.LOG_LINES_EMITTED:
        return LogLinesEmitted.model_validate_json(data).lines
    return [LogEmitted.model_validate_json(data)]


LOG_LINE_SUBJECTS = (subjects.LOG_EMITTED, subjects.LOG_LINES_EMITTED)
