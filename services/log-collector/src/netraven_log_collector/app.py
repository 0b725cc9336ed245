"""log-collector: three batch consumers, the unified log (its lines one per message, and batches of
lines in one message each) and the record of rejected messages, and the retention sweep of both.

The two log consumers share their writes (`WrittenTogether`): one of their transactions at a time,
as with a single consumer, so their lines' ids become visible in order for the api's live log feed
(`netraven_api.logs.feed`), and a turn's lines of both go in one transaction.
"""

import asyncio

from faststream.asgi import AsgiFastStream
from faststream.nats import NatsBroker
from netraven_shared.batch_consumer import BatchConsumer
from netraven_shared.batch_items import WrittenTogether, parsed_as
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.events import EventRejected, LogEmitted, LogLinesEmitted, subjects
from netraven_shared.messaging import build_broker
from netraven_shared.operator_log import OperatorLog
from netraven_shared.retention import sweep_forever
from netraven_shared.service_app import build_service_app
from netraven_shared.task_stop import stop_task

from netraven_log_collector.config import LogCollectorSettings
from netraven_log_collector.rejections import RejectionWriter
from netraven_log_collector.retention import log_collector_retentions
from netraven_log_collector.writer import LogWriter, lines_of_batches

SERVICE = "log-collector"
LOGS_DURABLE = "log-collector"
LINES_DURABLE = "log-collector-lines"
REJECTIONS_DURABLE = "log-collector-rejections"
# Messages of lines per write: each carries up to 500 lines, so at most 10,000 rows a transaction.
LINE_MESSAGES_PER_BATCH = 20


def build_consumers(
    broker: NatsBroker,
    logs: LogWriter,
    rejections: RejectionWriter,
    batch_size: int,
    logs_durable: str = LOGS_DURABLE,
    rejections_durable: str = REJECTIONS_DURABLE,
    window_seconds: float = 0.0,
    lines_durable: str = LINES_DURABLE,
) -> list[BatchConsumer]:
    together = WrittenTogether(logs.write)
    return [
        BatchConsumer(
            broker,
            subjects.LOG_EMITTED,
            logs_durable,
            SERVICE,
            parsed_as(LogEmitted),
            together.write,
            max_batch=batch_size,
            window_seconds=window_seconds,
        ),
        BatchConsumer(
            broker,
            subjects.LOG_LINES_EMITTED,
            lines_durable,
            SERVICE,
            parsed_as(LogLinesEmitted),
            lines_of_batches(together.write),
            max_batch=min(batch_size, LINE_MESSAGES_PER_BATCH),
            window_seconds=window_seconds,
        ),
        BatchConsumer(
            broker,
            subjects.EVENT_REJECTED,
            rejections_durable,
            SERVICE,
            parsed_as(EventRejected),
            rejections.write,
            max_batch=batch_size,
        ),
    ]


def build_app(settings: LogCollectorSettings) -> AsgiFastStream:
    broker = build_broker(settings, SERVICE)
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    consumers = build_consumers(
        broker,
        LogWriter(sessions),
        RejectionWriter(sessions),
        settings.batch_size,
        window_seconds=settings.batch_window_seconds,
    )

    sweeps: list[asyncio.Task[None]] = []

    async def start_consuming() -> None:
        for consumer in consumers:
            await consumer.start()
        retentions = log_collector_retentions(settings)
        sweeps.append(
            asyncio.create_task(sweep_forever(sessions, retentions, OperatorLog(broker, SERVICE)))
        )

    async def stop_consuming() -> None:
        for sweep in sweeps:
            await stop_task(sweep)
        await asyncio.gather(*(consumer.close(timeout=5) for consumer in consumers))
        await engine.dispose()

    app = build_service_app(
        broker, on_shutdown=[stop_consuming], readiness=[c.not_ready_reason for c in consumers]
    )
    app.after_startup(start_consuming)
    return app
