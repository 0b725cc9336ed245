"""The fact a worker publishes after checking that one device's SSH port answers."""

from uuid import UUID

from pydantic import ConfigDict, Field, model_validator

from netraven_shared.events import subjects
from netraven_shared.events.base import ErrorText, Event, Hostname

MAX_LATENCY_MS = 3_600_000.0


class DeviceReachabilityChecked(Event):
    """A TCP connection to the device's SSH port, timed; no login. `latency_ms` is set when it
    answered, `error` says why when it did not."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "8c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                    "occurred_at": "2026-11-23T10:00:01Z",
                    "schema_version": 1,
                    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                    "job_id": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "hostname": "core-sw-01",
                    "reachable": True,
                    "latency_ms": 1.7,
                    "error": None,
                    "port": 22,
                },
                {
                    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "hostname": "edge-fw-02",
                    "reachable": False,
                    "latency_ms": None,
                    "error": "connection refused",
                    "port": 22,
                },
            ]
        }
    )
    subject = subjects.REACHABILITY_CHECKED

    run_id: UUID
    job_id: UUID | None = None
    device_id: UUID
    hostname: Hostname
    reachable: bool
    latency_ms: float | None = Field(default=None, ge=0, le=MAX_LATENCY_MS)
    error: ErrorText | None = None
    port: int = Field(ge=1, le=65535)

    @model_validator(mode="after")
    def _explains_itself(self) -> "DeviceReachabilityChecked":
        if self.reachable and self.latency_ms is None:
            raise ValueError("a reachable device has a latency_ms")
        if not self.reachable and not self.error:
            raise ValueError("an unreachable device has an error saying why")
        return self
