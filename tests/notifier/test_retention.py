"""The delivery log's retention on the real database: old notifications go, recent ones and any
still waiting to be sent stay, and 0 days keeps everything."""

from datetime import timedelta
from uuid import UUID, uuid4

from netraven_notifier.retention import delivery_retention
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import NotificationDelivery
from netraven_shared.operator_log import OperatorLog
from netraven_shared.retention import sweep_all
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.notifier.rows import add_channel

NOW = utc_now()


async def add_delivery(
    db: async_sessionmaker[AsyncSession], channel_id: UUID, status: str, age_days: int
) -> None:
    async with db() as session:
        session.add(
            NotificationDelivery(
                channel_id=channel_id,
                event_id=uuid4(),
                event_kind="backup_failed",
                severity="warning",
                title=f"{status}, {age_days} days old",
                body={},
                status=status,
                attempts=1,
                created_at=NOW - timedelta(days=age_days),
            )
        )
        await session.commit()


async def kept(db: async_sessionmaker[AsyncSession], channel_id: UUID) -> list[str]:
    async with db() as session:
        rows = await session.scalars(
            select(NotificationDelivery.title)
            .where(NotificationDelivery.channel_id == channel_id)
            .order_by(NotificationDelivery.title)
        )
        return list(rows)


async def test_old_deliveries_go_and_waiting_ones_stay(
    db: async_sessionmaker[AsyncSession], oplog: OperatorLog
) -> None:
    channel = await add_channel(db, "http://127.0.0.1:9/unused", enabled=False)
    for status, age in (("delivered", 100), ("failed", 91), ("delivered", 10), ("pending", 100)):
        await add_delivery(db, channel, status, age)
    await add_delivery(db, channel, "digest_queued", 95)

    deleted = await sweep_all(db, [delivery_retention(90)], oplog, NOW)

    assert deleted["notification deliveries"] >= 2
    assert await kept(db, channel) == [
        "delivered, 10 days old",
        "digest_queued, 95 days old",
        "pending, 100 days old",
    ]


async def test_zero_days_keeps_everything(
    db: async_sessionmaker[AsyncSession], oplog: OperatorLog
) -> None:
    channel = await add_channel(db, "http://127.0.0.1:9/unused", enabled=False)
    await add_delivery(db, channel, "delivered", 4000)
    assert await sweep_all(db, [delivery_retention(0)], oplog, NOW) == {
        "notification deliveries": 0
    }
    assert await kept(db, channel) == ["delivered, 4000 days old"]
