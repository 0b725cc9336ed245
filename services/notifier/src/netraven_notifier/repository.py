"""What the notifier reads from PostgreSQL: channels, rules, a device's tags, the stale devices."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from netraven_shared.db.models import Device, NotificationChannel, NotificationRule, RunResult, Tag
from netraven_shared.db.models.tag import device_tags
from sqlalchemy import DateTime, Float, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_notifier.routing import Rule

ChannelRow = NotificationChannel


async def channels(session: AsyncSession) -> list[ChannelRow]:
    return list(await session.scalars(select(NotificationChannel)))


async def channel(session: AsyncSession, channel_id: UUID) -> ChannelRow | None:
    return await session.get(NotificationChannel, channel_id)


async def enabled_rules(session: AsyncSession) -> list[Rule]:
    rows = await session.scalars(
        select(NotificationRule).where(NotificationRule.enabled).order_by(NotificationRule.name)
    )
    return [
        Rule(
            channel_id=row.channel_id,
            event_kinds=frozenset(row.event_kinds),
            min_severity=row.min_severity,
            tag_ids=frozenset(tag.id for tag in row.tags),
        )
        for row in rows
    ]


async def device_tag_ids(session: AsyncSession, device_id: UUID) -> frozenset[UUID] | None:
    """The device's tags; None when the database has no such device."""
    rows = (
        await session.execute(
            select(Device.id, device_tags.c.tag_id)
            .outerjoin(device_tags, device_tags.c.device_id == Device.id)
            .where(Device.id == device_id)
        )
    ).all()
    if not rows:
        return None
    return frozenset(row.tag_id for row in rows if row.tag_id is not None)


@dataclass(frozen=True)
class StaleDevice:
    device_id: UUID
    hostname: str
    # the last good backup, or the device's creation when it never had one
    since: datetime
    threshold_hours: float


async def stale_devices(
    session: AsyncSession, now: datetime, default_hours: float
) -> list[StaleDevice]:
    """Devices whose last good backup (else their creation) is older than the lowest
    `stale_after_hours` of their tags, else `default_hours`."""
    last_good = (
        select(func.max(RunResult.finished_at))
        .where(RunResult.device_id == Device.id, RunResult.status == "succeeded")
        .scalar_subquery()
    )
    tag_hours = (
        select(func.min(Tag.stale_after_hours))
        .join(device_tags, device_tags.c.tag_id == Tag.id)
        .where(device_tags.c.device_id == Device.id)
        .scalar_subquery()
    )
    since = func.coalesce(last_good, Device.created_at).label("since")
    hours = func.coalesce(tag_hours, literal(float(default_hours), Float)).label("hours")
    rows = await session.execute(
        select(Device.id, Device.hostname, since, hours).where(
            since < literal(now, DateTime(timezone=True)) - hours * timedelta(hours=1)
        )
    )
    return [
        StaleDevice(
            device_id=row.id, hostname=row.hostname, since=row.since, threshold_hours=row.hours
        )
        for row in rows
    ]
