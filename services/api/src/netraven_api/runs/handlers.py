"""The api's own subscribers: it is the one writer of runs, so it records their progress.

Many events are in hand at once and written together (`RecordBatcher`): one transaction per batch.
"""

from collections.abc import Awaitable, Callable

from faststream.middlewares import AckPolicy
from faststream.nats import NatsBroker, PullSub
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.runs.record_batcher import RecordBatcher
from netraven_api.runs.recorder import record_collected, record_failed, record_reachability, record_started, record_stored
from netraven_shared.events import (
    ConfigStored, DeviceBackedUp, DeviceBackupFailed, DeviceBackupStarted, DeviceReachabilityChecked, Event,
)
from netraven_shared.messaging import consumer_config, stream_ref


IN_FLIGHT_PER_SUBSCRIBER = 200


def register_recorders(broker: NatsBroker, sessions: async_sessionmaker[AsyncSession]) -> None:
    batcher = RecordBatcher(sessions)

    def subscribe(event_type: type[Event], durable: str, record: Callable[[AsyncSession, Event], Awaitable[None]]) -> None:
        @broker.subscriber(
            event_type.subject,
            stream=stream_ref(event_type.subject),
            durable=durable,
            pull_sub=PullSub(batch_size=1, timeout=5),
            config=consumer_config(ack_wait_seconds=30),
            ack_policy=AckPolicy.REJECT_ON_ERROR,
            max_workers=IN_FLIGHT_PER_SUBSCRIBER,
            title=f"api/{durable}",
        )
        async def handle(event: event_type) -> None:  # type: ignore[valid-type]
            await batcher.record(event, record)

    subscribe(DeviceBackupStarted, "api-record-started", record_started)
    subscribe(ConfigStored, "api-record-stored", record_stored)
    subscribe(DeviceBackupFailed, "api-record-failed", record_failed)
    subscribe(DeviceBackedUp, "api-record-collected", record_collected)
    subscribe(DeviceReachabilityChecked, "api-record-reachability", record_reachability)
