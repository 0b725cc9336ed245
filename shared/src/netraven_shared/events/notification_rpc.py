"""Request/reply contract: the api asks a notifier to send a test message through one channel, so
an admin sees at once whether the channel works."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from netraven_shared.events.base import ErrorText


class SendTestNotification(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {"channel_id": "4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a", "requested_by": "admin"}
            ]
        },
    )

    channel_id: UUID
    requested_by: str = Field(min_length=1, max_length=255)


class NotificationTestReply(BaseModel):
    """`delivered`: the channel accepted the message; `failed`: it did not (`error` says why, as
    the channel answered); `unknown`: no such channel."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {"outcome": "delivered", "delivery_id": 42},
                {
                    "outcome": "failed",
                    "delivery_id": 43,
                    "error": "webhook answered 401 Unauthorized",
                },
            ]
        },
    )

    outcome: Literal["delivered", "failed", "unknown"]
    delivery_id: int | None = None
    error: ErrorText | None = None
