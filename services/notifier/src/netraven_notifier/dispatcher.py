"""A notification's way out: route it, record a delivery per channel, send it (or queue it for the
channel's digest), record how that went. The database is trusted, not the event: a notification
about a device it does not know (deleted since, or never there) goes nowhere. A delivery that
failed after its retries is logged as an operator warning naming the channel (never its URL or
secret) and tried again by the sweep."""

import asyncio
from uuid import UUID

import structlog
from netraven_shared.events.notification_rpc import NotificationTestReply
from netraven_shared.operator_log import OperatorLog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_notifier import deliveries, repository
from netraven_notifier.channels import Channel, ChannelBook
from netraven_notifier.messages import test_message
from netraven_notifier.notification import Notification
from netraven_notifier.routing import routed_channel_ids
from netraven_notifier.sender import Outcome, Sender

log = structlog.get_logger()


class Dispatcher:
    def __init__(
        self,
        book: ChannelBook,
        sessions: async_sessionmaker[AsyncSession],
        sender: Sender,
        oplog: OperatorLog,
    ) -> None:
        self.book = book
        self.sessions = sessions
        self.sender = sender
        self._oplog = oplog

    async def notify(self, notification: Notification) -> None:
        routing = await self.book.routing()
        async with self.sessions() as session:
            tag_ids = (
                await repository.device_tag_ids(session, notification.device_id)
                if notification.device_id
                else frozenset()
            )
            if tag_ids is None:
                log.info("notifier.unknown_device", device_id=str(notification.device_id))
                return
            channels = [
                channel
                for channel_id in routed_channel_ids(routing.rules, notification, tag_ids)
                if (channel := routing.channels.get(channel_id)) and channel.enabled
            ]
            statuses = {
                channel.id: "digest_queued" if channel.digest_minutes else "pending"
                for channel in channels
            }
            recorded = await deliveries.record(session, notification, statuses)
            await session.commit()
        by_id = {channel.id: channel for channel in channels}
        await asyncio.gather(
            *(
                self.deliver(row.delivery_id, by_id[row.channel_id], notification)
                for row in recorded
                if row.status == "pending"
            )
        )

    async def deliver(
        self,
        delivery_id: int,
        channel: Channel,
        notification: Notification,
        attempts: int | None = None,
    ) -> Outcome:
        """Send one recorded delivery and record the outcome."""
        outcome = await self.sender.send(channel, notification, attempts)
        async with self.sessions() as session:
            await deliveries.settle(session, delivery_id, outcome)
            await session.commit()
        if not outcome.delivered:
            await self.log_failure(channel, notification.title, outcome)
        return outcome

    async def send_test(self, channel_id: UUID, requested_by: str) -> NotificationTestReply:
        channel = await self.book.channel(channel_id)
        if channel is None:
            return NotificationTestReply(outcome="unknown")
        notification = test_message(requested_by)
        async with self.sessions() as session:
            (row,) = await deliveries.record(session, notification, {channel.id: "pending"})
            await session.commit()
        outcome = await self.deliver(row.delivery_id, channel, notification, attempts=1)
        return NotificationTestReply(
            outcome="delivered" if outcome.delivered else "failed",
            delivery_id=row.delivery_id,
            error=outcome.error,
        )

    async def log_failure(self, channel: Channel, title: str, outcome: Outcome) -> None:
        await self._oplog.emit(
            "warning",
            "system",
            f"notification '{title}' not delivered to channel {channel.name} after "
            f"{outcome.attempts} attempt(s): {outcome.error}",
            channel_id=str(channel.id),
        )
