"""The events the notifier turns into notifications, one durable batch consumer each (the shared
`BatchConsumer`: a message is acked after its notifications are recorded; a database error hands
the batch back, and the delivery log's (channel, event) key keeps a second pass from sending
again)."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from faststream.nats import NatsBroker
from netraven_shared.batch_consumer import BatchConsumer
from netraven_shared.batch_items import parsed_as
from netraven_shared.bus_identities import NOTIFIER_DURABLES
from netraven_shared.events import (
    ComplianceViolated,
    ConfigChanged,
    ConfigStored,
    DeviceBackupFailed,
    MirrorPushFailed,
    MirrorPushRecovered,
)
from netraven_shared.events.base import Event

from netraven_notifier.dispatcher import Dispatcher
from netraven_notifier.messages import Messages
from netraven_notifier.throttle import Throttle

SERVICE = "notifier"
MAX_BATCH = 50
# A batch's sends may take their retries (3 attempts, 10 s each, backoff between).
ACK_WAIT_SECONDS = 120.0
NOTIFIED_EVENTS: tuple[type[Event], ...] = (
    ConfigChanged,
    DeviceBackupFailed,
    ConfigStored,
    ComplianceViolated,
    MirrorPushFailed,
    MirrorPushRecovered,
)
EVENT_TYPES = {event_type.subject: event_type for event_type in NOTIFIED_EVENTS}


class EventHandlers:
    def __init__(self, dispatcher: Dispatcher, messages: Messages, throttle: Throttle) -> None:
        self._dispatcher = dispatcher
        self._messages = messages
        self._throttle = throttle

    async def config_changed(self, event: ConfigChanged) -> None:
        await self._dispatcher.notify(self._messages.config_changed(event))

    async def backup_failed(self, event: DeviceBackupFailed) -> None:
        notification = self._messages.backup_failed(event)
        if (
            notification.kind == "backup_failed"
            and event.device_id is not None
            and not await self._throttle.failed(event.device_id, event.event_id, event.occurred_at)
        ):
            return
        await self._dispatcher.notify(notification)

    async def config_stored(self, event: ConfigStored) -> None:
        await self._throttle.clear_stale(event.device_id)
        streak = await self._throttle.streak(event.device_id)
        if streak is None:
            return
        await self._dispatcher.notify(
            self._messages.backup_recovered(
                uuid5(NAMESPACE_URL, f"netraven:recovered:{streak.first_event_id}"),
                event.device_id,
                event.hostname,
                event.run_id,
                streak.failures,
                streak.since,
            )
        )
        await self._throttle.end_streak(event.device_id, streak)

    async def compliance_violated(self, event: ComplianceViolated) -> None:
        await self._dispatcher.notify(self._messages.compliance_violation(event))

    async def mirror_failed(self, event: MirrorPushFailed) -> None:
        await self._dispatcher.notify(self._messages.mirror_failed(event))

    async def mirror_recovered(self, event: MirrorPushRecovered) -> None:
        await self._dispatcher.notify(self._messages.mirror_recovered(event))

    def by_subject(self) -> dict[str, Callable[[Any], Awaitable[None]]]:
        return {
            ConfigChanged.subject: self.config_changed,
            DeviceBackupFailed.subject: self.backup_failed,
            ConfigStored.subject: self.config_stored,
            ComplianceViolated.subject: self.compliance_violated,
            MirrorPushFailed.subject: self.mirror_failed,
            MirrorPushRecovered.subject: self.mirror_recovered,
        }


def _each(handle: Callable[[Any], Awaitable[None]]) -> Callable[[list[Any]], Awaitable[None]]:
    async def write(events: list[Any]) -> None:
        await asyncio.gather(*(handle(event) for event in events))

    return write


def event_consumers(
    broker: NatsBroker, handlers: EventHandlers, durable_prefix: str = ""
) -> list[BatchConsumer[Any]]:
    by_subject = handlers.by_subject()
    return [
        BatchConsumer(
            broker,
            subject,
            f"{durable_prefix}{durable}",
            SERVICE,
            parsed_as(EVENT_TYPES[subject]),
            _each(by_subject[subject]),
            max_batch=MAX_BATCH,
            ack_wait_seconds=ACK_WAIT_SECONDS,
            new_messages_only=True,
        )
        for durable, subject in NOTIFIER_DURABLES
    ]
