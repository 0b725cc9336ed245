"""The delivery log (`notification_deliveries`), which the notifier alone writes: one row per
notification and channel, unique per (channel, event), so an event the bus delivers again sends
nothing twice."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import NotificationDelivery
from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_notifier.notification import Notification
from netraven_notifier.sender import Outcome


@dataclass(frozen=True)
class Recorded:
    delivery_id: int
    channel_id: UUID
    status: str


async def record(
    session: AsyncSession, notification: Notification, statuses: dict[UUID, str]
) -> list[Recorded]:
    """One row per channel (status `pending` or `digest_queued`); only the rows this call created
    are returned: a row that existed was recorded by an earlier delivery of the same event."""
    if not statuses:
        return []
    rows = await session.execute(
        insert(NotificationDelivery)
        .values(
            [
                {
                    "channel_id": channel_id,
                    "event_id": notification.event_id,
                    "event_kind": notification.kind,
                    "severity": notification.severity,
                    "device_id": notification.device_id,
                    "title": notification.title[:300],
                    "body": notification.stored_body(),
                    "status": status,
                }
                for channel_id, status in statuses.items()
            ]
        )
        .on_conflict_do_nothing(index_elements=["channel_id", "event_id"])
        .returning(
            NotificationDelivery.id, NotificationDelivery.channel_id, NotificationDelivery.status
        )
    )
    return [Recorded(row.id, row.channel_id, row.status) for row in rows]


async def settle(session: AsyncSession, delivery_id: int, outcome: Outcome) -> None:
    await session.execute(
        update(NotificationDelivery)
        .where(NotificationDelivery.id == delivery_id)
        .values(
            status="delivered" if outcome.delivered else "failed",
            attempts=NotificationDelivery.attempts + outcome.attempts,
            last_error=outcome.error,
            delivered_at=utc_now() if outcome.delivered else None,
        )
    )


async def due_again(
    session: AsyncSession, created_after: datetime, stuck_before: datetime, limit: int
) -> list[NotificationDelivery]:
    """Deliveries to try again, locked for this transaction (other replicas skip them): failed
    ones not older than the retry age, and pending ones a stopped notifier left behind. A test
    message is never sent again: its answer was given."""
    return list(
        await session.scalars(
            select(NotificationDelivery)
            .where(
                NotificationDelivery.created_at > created_after,
                NotificationDelivery.event_kind != "test",
                or_(
                    NotificationDelivery.status == "failed",
                    (NotificationDelivery.status == "pending")
                    & (NotificationDelivery.created_at < stuck_before),
                ),
            )
            .order_by(NotificationDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


async def digest_channels_due(
    session: AsyncSession, oldest_before: dict[UUID, datetime]
) -> list[UUID]:
    """The digest channels whose oldest queued notification waited a whole period."""
    due = []
    for channel_id, before in oldest_before.items():
        oldest = await session.scalar(
            select(NotificationDelivery.created_at)
            .where(
                NotificationDelivery.channel_id == channel_id,
                NotificationDelivery.status == "digest_queued",
            )
            .order_by(NotificationDelivery.created_at)
            .limit(1)
        )
        if oldest is not None and oldest <= before:
            due.append(channel_id)
    return due


async def queued_for_digest(
    session: AsyncSession, channel_id: UUID, limit: int
) -> list[NotificationDelivery]:
    """A channel's queued notifications, oldest first, locked: one replica sends each digest."""
    return list(
        await session.scalars(
            select(NotificationDelivery)
            .where(
                NotificationDelivery.channel_id == channel_id,
                NotificationDelivery.status == "digest_queued",
            )
            .order_by(NotificationDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


async def settle_digest(session: AsyncSession, delivery_ids: list[int], outcome: Outcome) -> None:
    """Delivered: the rows are `digested`; failed: they stay queued for the next period, with the
    error."""
    await session.execute(
        update(NotificationDelivery)
        .where(NotificationDelivery.id.in_(delivery_ids))
        .values(
            status="digested" if outcome.delivered else "digest_queued",
            attempts=NotificationDelivery.attempts + outcome.attempts,
            last_error=outcome.error,
            delivered_at=utc_now() if outcome.delivered else None,
        )
    )
