from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from netraven_shared.db.models.notification import DELIVERY_STATUSES, EVENT_KINDS
from netraven_shared.events.compliance import Severity
from pydantic import BaseModel, Field

from netraven_api.schemas_common import Name, TagNames

ChannelKind = Literal["apprise", "webhook"]
EventKind = Literal[EVENT_KINDS]  # type: ignore[valid-type]
DeliveryStatus = Literal[DELIVERY_STATUSES]  # type: ignore[valid-type]

TargetUrl = Annotated[
    str,
    Field(
        min_length=1,
        max_length=2000,
        examples=[
            "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ",
            "https://hooks.example/nr",
        ],
        description=(
            "apprise: any Apprise URL (https://github.com/caronc/apprise/wiki); webhook: the "
            "http(s) URL the JSON body is POSTed to. Stored encrypted, never returned"
        ),
    ),
]
HmacSecret = Annotated[
    str,
    Field(
        min_length=16,
        max_length=256,
        description="webhook only: the HMAC-SHA256 signing key; generated when left out",
    ),
]
DigestMinutes = Annotated[
    int,
    Field(ge=1, le=10080, description="One digest message per this many minutes; null: at once"),
]


class ChannelCreate(BaseModel):
    name: Name
    kind: ChannelKind
    url: TargetUrl
    hmac_secret: HmacSecret | None = None
    digest_minutes: DigestMinutes | None = None
    enabled: bool = True


class ChannelUpdate(BaseModel):
    """Only the fields sent change; without `url` the stored target is kept."""

    name: Name | None = None
    url: TargetUrl | None = None
    hmac_secret: HmacSecret | None = None
    digest_minutes: DigestMinutes | None = None
    enabled: bool | None = None


class ChannelOut(BaseModel):
    id: UUID
    name: str
    kind: ChannelKind
    target_display: str = Field(description="The target's scheme and host; never a secret")
    has_hmac_secret: bool
    digest_minutes: int | None
    enabled: bool
    from_environment: bool = Field(
        description="Made from NETRAVEN_NOTIFY_URLS: read-only, changed through that setting"
    )
    created_at: datetime


class ChannelCreated(ChannelOut):
    hmac_secret: str | None = Field(
        default=None,
        description=(
            "The webhook's signing key when the api generated it: shown in this response only"
        ),
    )


class ChannelTestOutcome(BaseModel):
    outcome: Literal["delivered", "failed", "unknown"]
    delivery_id: int | None = None
    error: str | None = None


class NotificationRuleCreate(BaseModel):
    name: Name
    channel_id: UUID
    event_kinds: list[EventKind] = Field(min_length=1, max_length=len(EVENT_KINDS))
    min_severity: Severity = "info"
    tags: TagNames = Field(description="Devices carrying any of these tags; none: every device")
    enabled: bool = True


class NotificationRuleUpdate(BaseModel):
    """Only the fields sent change."""

    name: Name | None = None
    channel_id: UUID | None = None
    event_kinds: list[EventKind] | None = Field(
        default=None, min_length=1, max_length=len(EVENT_KINDS)
    )
    min_severity: Severity | None = None
    tags: list[Name] | None = Field(default=None, max_length=50)
    enabled: bool | None = None


class NotificationRuleOut(BaseModel):
    id: UUID
    name: str
    channel_id: UUID
    event_kinds: list[str]
    min_severity: Severity
    tags: list[str]
    enabled: bool
    from_environment: bool = Field(description="Its channel is made from NETRAVEN_NOTIFY_URLS")
    created_at: datetime


class DeliveryOut(BaseModel):
    id: int
    channel_id: UUID
    event_id: UUID
    event_kind: str
    severity: str
    device_id: UUID | None
    title: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_before: str | None = Field(
        description="Pass as `before` for the next (older) page; null on the last page"
    )
