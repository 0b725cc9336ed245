"""The queries on notification channels, rules and the notifier's delivery log."""

from uuid import UUID

from netraven_shared.db.models import NotificationChannel, NotificationDelivery, NotificationRule
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession


async def list_channels(session: AsyncSession) -> list[NotificationChannel]:
    return list(
        await session.scalars(select(NotificationChannel).order_by(NotificationChannel.name))
    )


async def get_channel(session: AsyncSession, channel_id: UUID) -> NotificationChannel | None:
    return await session.get(NotificationChannel, channel_id)


async def channel_name_taken(
    session: AsyncSession, name: str, except_id: UUID | None = None
) -> bool:
    statement = select(NotificationChannel.id).where(NotificationChannel.name == name)
    if except_id is not None:
        statement = statement.where(NotificationChannel.id != except_id)
    return await session.scalar(statement) is not None


async def environment_channels(session: AsyncSession) -> list[NotificationChannel]:
    return list(
        await session.scalars(
            select(NotificationChannel)
            .where(NotificationChannel.from_environment)
            .order_by(NotificationChannel.name)
        )
    )


async def environment_channel_ids(session: AsyncSession, ids: set[UUID]) -> set[UUID]:
    if not ids:
        return set()
    return set(
        await session.scalars(
            select(NotificationChannel.id).where(
                NotificationChannel.id.in_(ids), NotificationChannel.from_environment
            )
        )
    )


async def list_rules(session: AsyncSession) -> list[NotificationRule]:
    return list(await session.scalars(select(NotificationRule).order_by(NotificationRule.name)))


async def get_rule(session: AsyncSession, rule_id: UUID) -> NotificationRule | None:
    return await session.get(NotificationRule, rule_id)


async def rule_of_channel(session: AsyncSession, channel_id: UUID) -> NotificationRule | None:
    return await session.scalar(
        select(NotificationRule)
        .where(NotificationRule.channel_id == channel_id)
        .order_by(NotificationRule.name)
        .limit(1)
    )


async def rule_name_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> bool:
    statement = select(NotificationRule.id).where(NotificationRule.name == name)
    if except_id is not None:
        statement = statement.where(NotificationRule.id != except_id)
    return await session.scalar(statement) is not None


async def deliveries(
    session: AsyncSession,
    channel_id: UUID | None,
    status: str | None,
    before_id: int | None,
    limit: int,
) -> list[NotificationDelivery]:
    """Newest first (the id grows with time), older than `before_id` when given."""
    statement = select(NotificationDelivery).order_by(NotificationDelivery.id.desc()).limit(limit)
    if channel_id is not None:
        statement = statement.where(NotificationDelivery.channel_id == channel_id)
    if status is not None:
        statement = statement.where(NotificationDelivery.status == status)
    if before_id is not None:
        statement = statement.where(NotificationDelivery.id < before_id)
    return list(await session.scalars(statement))


async def lock_environment_sync(session: AsyncSession) -> None:
    """Serializes api replicas that start together, until the caller's transaction ends."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('netraven.notify_urls'))"))
