from typing import Any

from faststream.middlewares import AckPolicy
from faststream.nats import NatsBroker, PullSub

from netraven_log_collector.config import LogCollectorSettings
from netraven_log_collector.writer import LogWriter, valid_events
from netraven_shared.events import subjects
from netraven_shared.messaging import consumer_config, stream_ref


def register_handlers(broker: NatsBroker, writer: LogWriter, settings: LogCollectorSettings) -> None:
    @broker.subscriber(
        subjects.LOG_EMITTED,
        stream=stream_ref(subjects.LOG_EMITTED),
        durable="log-collector",
        pull_sub=PullSub(batch_size=settings.batch_size, timeout=1, batch=True),
        config=consumer_config(ack_wait_seconds=30),
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title="log-collector/write-logs",
        description="Batches of LogEmitted; a database error hands the batch back for redelivery.",
    )
    async def on_logs(payloads: list[Any]) -> None:
        await writer.write(valid_events(payloads))
