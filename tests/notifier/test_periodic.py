"""The periodic tasks on the real database: digests (one message per channel per period) and
staleness (one notice per stale episode, thresholds from tags)."""

import uuid
from datetime import timedelta

from netraven_notifier.digest import Digests
from netraven_notifier.dispatcher import Dispatcher
from netraven_notifier.messages import Messages
from netraven_notifier.staleness import StalenessCheck
from netraven_notifier.throttle import Throttle
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import NotificationDelivery
from netraven_shared.events import DeviceBackupFailed
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import record_backup
from tests.fixtures.notification_receivers import http_receiver
from tests.notifier.rows import add_channel, add_device, add_tag


async def statuses(db: async_sessionmaker[AsyncSession], channel_id: uuid.UUID) -> list[str]:
    async with db() as session:
        return list(
            await session.scalars(
                select(NotificationDelivery.status)
                .where(NotificationDelivery.channel_id == channel_id)
                .order_by(NotificationDelivery.id)
            )
        )


def failure(device_id: uuid.UUID, hostname: str) -> DeviceBackupFailed:
    return DeviceBackupFailed(
        run_id=uuid.uuid4(), device_id=device_id, hostname=hostname, error="refused", attempts=1
    )


class TestDigest:
    async def test_a_digest_channel_gets_one_message_per_period(
        self, dispatcher: Dispatcher, db: async_sessionmaker[AsyncSession]
    ) -> None:
        devices = [await add_device(db) for _ in range(3)]
        with http_receiver() as receiver:
            channel = await add_channel(db, receiver.url, digest_minutes=10)
            for device in devices:
                await dispatcher.notify(
                    Messages(None).backup_failed(failure(device.id, device.hostname))
                )
            assert receiver.received == []
            assert await statuses(db, channel) == ["digest_queued"] * 3
            assert await Digests(dispatcher).run() == 0, "the period is not over"

            async with db() as session:
                await session.execute(
                    update(NotificationDelivery)
                    .where(NotificationDelivery.channel_id == channel)
                    .values(created_at=utc_now() - timedelta(minutes=11))
                )
                await session.commit()
            assert await Digests(dispatcher).run() == 1
            assert await Digests(dispatcher).run() == 0
            (request,) = receiver.received
        payload = request.json()
        assert payload["event"] == "digest"
        assert {item["title"] for item in payload["notifications"]} == {
            f"{device.hostname}: backup failed" for device in devices
        }
        assert await statuses(db, channel) == ["digested"] * 3


class TestStaleness:
    async def test_a_device_past_its_tags_threshold_is_notified_once(
        self,
        dispatcher: Dispatcher,
        db: async_sessionmaker[AsyncSession],
        throttle: Throttle,
    ) -> None:
        hourly, daily = await add_tag(db, stale_after_hours=1), await add_tag(db, 24)
        stale = await add_device(db, (hourly, daily))
        fresh = await add_device(db, (daily,))
        for device in (stale, fresh):
            await record_backup(db, str(device.id), "succeeded", utc_now() - timedelta(hours=2))
        check = StalenessCheck(dispatcher, Messages(None), throttle, default_hours=26)
        with http_receiver() as receiver:
            await add_channel(db, receiver.url, tag_ids=(hourly, daily), event_kinds=("stale",))
            await check.run()
            await check.run()
            (request,) = receiver.received
            assert request.json()["device"]["hostname"] == stale.hostname
            assert request.json()["stale_after_hours"] == 1

            await throttle.clear_stale(stale.id)  # what its next good backup does
            await record_backup(db, str(stale.id), "succeeded", utc_now() - timedelta(minutes=90))
            await check.run()
            assert len(receiver.received) == 2, "a new episode is notified again"

    async def test_a_device_never_backed_up_counts_from_its_creation(
        self,
        dispatcher: Dispatcher,
        db: async_sessionmaker[AsyncSession],
        throttle: Throttle,
    ) -> None:
        tag = await add_tag(db, stale_after_hours=1)
        device = await add_device(db, (tag,))
        check = StalenessCheck(dispatcher, Messages(None), throttle, default_hours=26)
        with http_receiver() as receiver:
            await add_channel(db, receiver.url, tag_ids=(tag,), event_kinds=("stale",))
            await check.run()
            assert receiver.received == []
            async with db() as session:
                device = await session.merge(device)
                device.created_at = utc_now() - timedelta(hours=2)
                await session.commit()
            await check.run()
            assert len(receiver.received) == 1

    async def test_a_succeeded_reachability_check_is_no_good_backup(
        self,
        dispatcher: Dispatcher,
        db: async_sessionmaker[AsyncSession],
        throttle: Throttle,
    ) -> None:
        tag = await add_tag(db, stale_after_hours=1)
        device = await add_device(db, (tag,))
        await record_backup(db, str(device.id), "succeeded", utc_now(), kind="reachability")
        async with db() as session:
            device = await session.merge(device)
            device.created_at = utc_now() - timedelta(hours=2)
            await session.commit()
        check = StalenessCheck(dispatcher, Messages(None), throttle, default_hours=26)
        with http_receiver() as receiver:
            await add_channel(db, receiver.url, tag_ids=(tag,), event_kinds=("stale",))
            await check.run()
            (request,) = receiver.received
            assert request.json()["device"]["hostname"] == device.hostname
