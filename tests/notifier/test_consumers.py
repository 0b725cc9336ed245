"""The notifier's durable consumers on the real bus: an event published after they start is
notified; one from before their first start is history, not news."""

import uuid

from faststream.nats import NatsBroker
from nats.js.errors import NotFoundError
from netraven_notifier.consumers import EventHandlers, event_consumers
from netraven_notifier.dispatcher import Dispatcher
from netraven_notifier.messages import Messages
from netraven_notifier.throttle import Throttle
from netraven_shared.events import ConfigChanged, DeviceBackupFailed
from netraven_shared.messaging import publish_event, stream_of
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.consumers import wait_until
from tests.fixtures.notification_receivers import http_receiver
from tests.notifier.rows import add_channel, add_device, add_tag


def change(device_id: uuid.UUID, hostname: str, line: str) -> ConfigChanged:
    return ConfigChanged(
        device_id=device_id, hostname=hostname, new_commit="e" * 40, diff=line, changed_lines=1
    )


async def test_events_after_the_first_start_are_notified_and_older_ones_are_not(
    broker: NatsBroker,
    dispatcher: Dispatcher,
    throttle: Throttle,
    db: async_sessionmaker[AsyncSession],
) -> None:
    tag = await add_tag(db)
    device = await add_device(db, (tag,))
    with http_receiver() as receiver:
        await add_channel(db, receiver.url, tag_ids=(tag,))
        await publish_event(broker, change(device.id, device.hostname, "+before"))
        handlers = EventHandlers(dispatcher, Messages(None), throttle)
        consumers = event_consumers(broker, handlers, durable_prefix=f"t{uuid.uuid4().hex[:6]}-")
        for consumer in consumers:
            await consumer.start()
        js = broker.config.connection_state.stream

        async def durables_made() -> bool:
            try:
                for consumer in consumers:
                    await js.consumer_info(stream_of(ConfigChanged.subject), consumer.durable)
            except NotFoundError:
                return False
            return True

        await wait_until(durables_made, timeout=10)
        try:
            await publish_event(broker, change(device.id, device.hostname, "+after"))
            for _ in range(3):
                await publish_event(
                    broker,
                    DeviceBackupFailed(
                        run_id=uuid.uuid4(),
                        device_id=device.id,
                        hostname=device.hostname,
                        error="timed out",
                        attempts=2,
                    ),
                )

            async def heard() -> bool:
                kinds = [request.json()["event"] for request in receiver.received]
                return sorted(kinds) == ["backup_failed", "config_changed"]

            await wait_until(heard, timeout=15)
        finally:
            for consumer in consumers:
                await consumer.close()
        diffs = [r.json().get("diff") for r in receiver.received]
        assert "+before" not in diffs and "+after" in diffs
