"""What the notifier reads from PostgreSQL: channels, rules, a device's tags (the stale devices:
netraven_shared.db.freshness)."""

from uuid import UUID

from netraven_shared.db.models import Device, NotificationChannel, NotificationRule
from netraven_shared.db.models.tag import device_tags
from sqlalchemy import select
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
