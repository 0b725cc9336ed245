"""Notifications: where they go (channels), what goes where (rules), and what was sent (deliveries).

The api writes channels and rules; the notifier reads them and alone writes deliveries. A channel's
target (an Apprise URL, or a webhook's URL) and a webhook's HMAC secret are encrypted with the
credential key ring (`key_id` names the key) and never returned.
"""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven_shared.db.base import Base, Timestamped, utc_now
from netraven_shared.db.models.tag import Tag, tag_link_table

CHANNEL_KINDS = ("apprise", "webhook")
EVENT_KINDS = (
    "config_changed",
    "backup_failed",
    "backup_recovered",
    "host_key_changed",
    "compliance_violation",
    "stale",
    "mirror_failed",
    "mirror_recovered",
    "test",
)
SEVERITIES = ("info", "warning", "critical")
DELIVERY_STATUSES = ("pending", "delivered", "failed", "digest_queued", "digested")


class NotificationChannel(Timestamped, Base):
    __tablename__ = "notification_channels"
    __table_args__ = (
        CheckConstraint("kind IN ('apprise', 'webhook')", name="kind"),
        CheckConstraint(
            "digest_minutes IS NULL OR digest_minutes BETWEEN 1 AND 10080", name="digest"
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    target_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    # What may be shown: the scheme and host, never a token, password or path secret.
    target_display: Mapped[str] = mapped_column(String(255))
    hmac_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(64))
    # None: each notification at once; else one digest message per this many minutes.
    digest_minutes: Mapped[int | None]
    enabled: Mapped[bool] = mapped_column(default=True)
    # Created by the api from NETRAVEN_NOTIFY_URLS at start; changed only through that setting.
    from_environment: Mapped[bool] = mapped_column(default=False, server_default="false")


notification_rule_tags = tag_link_table("notification_rule")


class NotificationRule(Timestamped, Base):
    """Sends the events of `event_kinds` at or above `min_severity`, for devices carrying any of
    `tags` (none: every device), to one channel."""

    __tablename__ = "notification_rules"
    __table_args__ = (
        CheckConstraint("min_severity IN ('info', 'warning', 'critical')", name="severity"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    channel_id: Mapped[UUID] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="CASCADE"), index=True
    )
    event_kinds: Mapped[list[str]] = mapped_column(JSONB)
    min_severity: Mapped[str] = mapped_column(String(10), default="info")
    enabled: Mapped[bool] = mapped_column(default=True)
    tags: Mapped[list[Tag]] = relationship(secondary=notification_rule_tags, lazy="selectin")


class NotificationDelivery(Base):
    """One notification for one channel: sent, failed after its retries, or waiting for the
    channel's digest. `event_id` (the bus event that caused it) makes a redelivered event send
    nothing twice."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'delivered', 'failed', 'digest_queued', 'digested')",
            name="status",
        ),
        UniqueConstraint("channel_id", "event_id", name="channel_event"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    channel_id: Mapped[UUID] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[UUID]
    event_kind: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10))
    device_id: Mapped[UUID | None] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    delivered_at: Mapped[datetime | None]
