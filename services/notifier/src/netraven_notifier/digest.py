"""Digests: a channel with `digest_minutes` gets its notifications queued (`digest_queued`) and,
once the oldest has waited that long, one message summarising them all; the rows become `digested`.
The rows are locked while the digest is sent (`FOR UPDATE SKIP LOCKED`), so with several replicas
one sends it; a digest that fails leaves them queued, with the error, for the next check."""

from datetime import timedelta
from uuid import NAMESPACE_URL, uuid5

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import NotificationDelivery

from netraven_notifier import deliveries
from netraven_notifier.channels import Channel
from netraven_notifier.dispatcher import Dispatcher
from netraven_notifier.notification import SEVERITY_RANK, Notification

MAX_ITEMS = 200


def digest_of(channel: Channel, rows: list[NotificationDelivery]) -> Notification:
    worst = max((row.severity for row in rows), key=SEVERITY_RANK.__getitem__)
    lines = [f"- {row.created_at:%Y-%m-%d %H:%M} [{row.severity}] {row.title}" for row in rows]
    return Notification(
        event_id=uuid5(NAMESPACE_URL, f"netraven:digest:{channel.id}:{rows[0].id}"),
        kind="digest",
        severity=worst,  # type: ignore[arg-type]  # the column's check holds it to Severity
        title=f"NetRaven digest: {len(rows)} notification(s)",
        text="\n".join(lines),
        occurred_at=utc_now(),
        details={
            "notifications": [
                {
                    "event": row.event_kind,
                    "event_id": str(row.event_id),
                    "severity": row.severity,
                    "title": row.title,
                    "device_id": str(row.device_id) if row.device_id else None,
                    "created_at": row.created_at.isoformat(),
                    "body": row.body.get("text"),
                }
                for row in rows
            ]
        },
    )


class Digests:
    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher

    async def run(self) -> int:
        """Send every digest whose period is over; how many were sent."""
        routing = await self._dispatcher.book.routing()
        now = utc_now()
        periods = {
            channel.id: now - timedelta(minutes=channel.digest_minutes)
            for channel in routing.channels.values()
            if channel.digest_minutes and channel.enabled
        }
        async with self._dispatcher.sessions() as session:
            due = await deliveries.digest_channels_due(session, periods)
        sent = 0
        for channel_id in due:
            sent += await self._send(routing.channels[channel_id])
        return sent

    async def _send(self, channel: Channel) -> int:
        async with self._dispatcher.sessions() as session:
            rows = await deliveries.queued_for_digest(session, channel.id, MAX_ITEMS)
            if not rows:
                return 0
            notification = digest_of(channel, rows)
            outcome = await self._dispatcher.sender.send(channel, notification)
            await deliveries.settle_digest(session, [row.id for row in rows], outcome)
            await session.commit()
        if not outcome.delivered:
            await self._dispatcher.log_failure(channel, notification.title, outcome)
        return int(outcome.delivered)
