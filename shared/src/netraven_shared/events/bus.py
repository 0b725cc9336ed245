"""Facts about the bus itself: an event a service refused to act on."""

from pydantic import ConfigDict, Field

from netraven_shared.events import subjects
from netraven_shared.events.base import Event


class EventRejected(Event):
    """A message a service terminated instead of acting on it: malformed, naming an unknown device,
    run or job, or impossible to store. Never carries the payload, which may hold a config.

    `identity` is who may have sent it: the bus identities allowed to publish on `rejected_subject`.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b",
                    "occurred_at": "2026-12-05T10:00:00Z",
                    "schema_version": 1,
                    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                    "rejected_subject": "netraven.backups.succeeded",
                    "reason": "device 9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b is not in the inventory",
                    "service": "gitkeeper",
                    "identity": "worker",
                }
            ]
        }
    )
    subject = subjects.EVENT_REJECTED

    rejected_subject: str = Field(min_length=1, max_length=255)
    reason: str = Field(min_length=1, max_length=1000)
    service: str = Field(min_length=1, max_length=50)
    identity: str | None = Field(default=None, max_length=100)
