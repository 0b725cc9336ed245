from uuid import UUID

from pydantic import ConfigDict, Field

from netraven_shared.events import subjects
from netraven_shared.events.base import Event


class ConfigStored(Event):
    """Gitkeeper has the device's config in git and in the version index."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f",
                    "occurred_at": "2026-11-23T10:00:06Z",
                    "schema_version": 1,
                    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "hostname": "core-sw-01",
                    "commit": "3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e",
                    "sha256": "4f2a0f8c3b1d4e6a9c7b5d3e1f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a",
                    "changed": True,
                }
            ]
        }
    )
    subject = subjects.CONFIG_STORED

    run_id: UUID
    device_id: UUID
    hostname: str
    commit: str = Field(pattern=r"^[0-9a-f]{40}$")
    sha256: str
    changed: bool
