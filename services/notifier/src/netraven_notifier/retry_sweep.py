"""Deliveries that failed are sent again, every `NETRAVEN_RETRY_SWEEP_SECONDS` (60), until they are
`NETRAVEN_RETRY_MAX_AGE_HOURS` (24) old: a channel that was down gets what it missed. Also sent:
rows left `pending` by a notifier stopped between recording and sending. The rows stay locked
while they are sent, so replicas never send one twice."""

import asyncio
from datetime import timedelta

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import NotificationDelivery

from netraven_notifier import deliveries
from netraven_notifier.dispatcher import Dispatcher
from netraven_notifier.notification import Notification

BATCH = 50
STUCK_PENDING = timedelta(minutes=5)


class RetrySweep:
    def __init__(self, dispatcher: Dispatcher, max_age_hours: float) -> None:
        self._dispatcher = dispatcher
        self._max_age = timedelta(hours=max_age_hours)

    async def run(self) -> int:
        """Send the due deliveries again; how many were delivered."""
        routing = await self._dispatcher.book.routing()
        now = utc_now()
        async with self._dispatcher.sessions() as session:
            rows = await deliveries.due_again(
                session, now - self._max_age, now - STUCK_PENDING, BATCH
            )
            sendable = [
                (row, channel)
                for row in rows
                if (channel := routing.channels.get(row.channel_id)) and channel.enabled
            ]
            outcomes = await asyncio.gather(
                *(
                    self._dispatcher.sender.send(channel, _notification(row))
                    for row, channel in sendable
                )
            )
            for (row, _), outcome in zip(sendable, outcomes, strict=True):
                await deliveries.settle(session, row.id, outcome)
            await session.commit()
        return sum(outcome.delivered for outcome in outcomes)


def _notification(row: NotificationDelivery) -> Notification:
    return Notification.from_row(
        event_id=row.event_id,
        event_kind=row.event_kind,
        severity=row.severity,
        title=row.title,
        device_id=row.device_id,
        body=row.body,
    )
