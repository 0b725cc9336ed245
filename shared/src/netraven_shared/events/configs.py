from uuid import UUID

from pydantic import ConfigDict, Field

from netraven_shared.events import subjects
from netraven_shared.events.base import INT32_MAX, CommitId, Event, Hostname, Sha256


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
    hostname: Hostname
    commit: CommitId
    sha256: Sha256
    changed: bool


MAX_DIFF_CHARS = 64 * 1024


class ConfigChanged(Event):
    """A device's config changed: the new version is committed and indexed. One event per changed
    device."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                    "occurred_at": "2026-11-23T10:00:06Z",
                    "schema_version": 1,
                    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                    "job_id": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "hostname": "core-sw-01",
                    "old_commit": "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
                    "new_commit": "3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e",
                    "diff": (
                        "diff --git a/core-sw-01.cfg b/core-sw-01.cfg\n"
                        "--- a/core-sw-01.cfg\n+++ b/core-sw-01.cfg\n"
                        "@@ -3 +3 @@\n-ntp server 10.0.0.1\n+ntp server 10.0.0.2\n"
                    ),
                    "diff_truncated": False,
                    "changed_lines": 2,
                }
            ]
        }
    )
    subject = subjects.CONFIG_CHANGED

    run_id: UUID | None = None
    job_id: UUID | None = None
    device_id: UUID
    hostname: Hostname
    old_commit: CommitId | None = Field(
        default=None, description="None for a device's first version"
    )
    new_commit: CommitId
    diff: str = Field(
        max_length=MAX_DIFF_CHARS,
        description=(
            f"Unified diff (git format) of the device's file, cut at {MAX_DIFF_CHARS} characters"
        ),
    )
    diff_truncated: bool = Field(
        default=False, description="The diff was longer than the cut and was truncated"
    )
    changed_lines: int = Field(
        ge=0, le=INT32_MAX, description="Lines added plus removed, counted on the whole diff"
    )
