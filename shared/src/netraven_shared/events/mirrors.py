"""The config repository's mirrors: gitkeeper pushes each committed batch to every remote."""

from datetime import datetime

from pydantic import ConfigDict, Field

from netraven_shared.events import subjects
from netraven_shared.events.base import INT32_MAX, CommitId, ErrorText, Event

MirrorName = Field(min_length=1, max_length=100, description="The mirror's name")
RemoteDisplay = Field(
    min_length=1, max_length=500, description="The remote's URL with any token or password removed"
)


class MirrorPushFailed(Event):
    """A push to a mirror failed and will be retried with backoff. Published on the first failure
    of a streak and again each time the streak's error changes; commits keep being made."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "2f3a4b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c",
                    "occurred_at": "2026-11-23T10:05:00Z",
                    "schema_version": 1,
                    "correlation_id": "2f3a4b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c",
                    "mirror": "github",
                    "remote": "ssh://git@github.com/acme/network-configs.git",
                    "error": "ssh: connect to host github.com port 22: Connection timed out",
                    "failing_since": "2026-11-23T10:04:00Z",
                    "attempts": 3,
                    "commits_waiting": 4,
                }
            ]
        }
    )
    subject = subjects.MIRROR_PUSH_FAILED

    mirror: str = MirrorName
    remote: str = RemoteDisplay
    error: ErrorText
    failing_since: datetime
    attempts: int = Field(ge=1, le=INT32_MAX)
    commits_waiting: int = Field(ge=0, le=INT32_MAX)


class MirrorPushRecovered(Event):
    """A mirror that was failing took a push again: it holds everything up to `commit`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "3a4b5c6d-7e8f-4a9b-8c1d-2e3f4a5b6c7d",
                    "occurred_at": "2026-11-23T10:09:00Z",
                    "schema_version": 1,
                    "correlation_id": "3a4b5c6d-7e8f-4a9b-8c1d-2e3f4a5b6c7d",
                    "mirror": "github",
                    "remote": "ssh://git@github.com/acme/network-configs.git",
                    "commit": "3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e",
                    "failing_since": "2026-11-23T10:04:00Z",
                }
            ]
        }
    )
    subject = subjects.MIRROR_PUSH_RECOVERED

    mirror: str = MirrorName
    remote: str = RemoteDisplay
    commit: CommitId
    failing_since: datetime
