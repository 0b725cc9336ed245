"""notifier: turns bus events into notifications and delivers them through the channels the
routing rules pick (docs/notifications.md). Stateless: replicas share the work through durable
consumers, the delivery log's row locks and the throttle bucket."""

from faststream.asgi import AsgiFastStream
from faststream.nats import NatsBroker
from nats.js.kv import KeyValue
from netraven_shared.bus_streams import NOTIFIER_BUCKET
from netraven_shared.crypto import credential_cipher
from netraven_shared.db.base import utc_now
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.key_value import open_bucket
from netraven_shared.messaging import build_broker
from netraven_shared.operator_log import OperatorLog
from netraven_shared.retention import SWEEP_INTERVAL_SECONDS, sweep_all
from netraven_shared.service_app import build_service_app

from netraven_notifier.channels import ChannelBook
from netraven_notifier.config import NotifierSettings
from netraven_notifier.consumers import SERVICE, EventHandlers, event_consumers
from netraven_notifier.digest import Digests
from netraven_notifier.dispatcher import Dispatcher
from netraven_notifier.messages import Messages
from netraven_notifier.periodic import Periodic
from netraven_notifier.retention import delivery_retention
from netraven_notifier.retry_sweep import RetrySweep
from netraven_notifier.send_test_rpc import register_test_requests
from netraven_notifier.sender import Sender
from netraven_notifier.staleness import StalenessCheck
from netraven_notifier.throttle import Throttle


def throttle_bucket(broker: NatsBroker, replicas: int = 1) -> Throttle:
    async def bucket() -> KeyValue:
        return await open_bucket(
            broker.config.connection_state.stream, NOTIFIER_BUCKET, replicas=replicas
        )

    return Throttle(bucket)


def build_app(settings: NotifierSettings) -> AsgiFastStream:
    broker = build_broker(settings, SERVICE)
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    sender = Sender(
        settings.send_attempts, settings.send_backoff_seconds, settings.send_timeout_seconds
    )
    book = ChannelBook(sessions, credential_cipher(settings), settings.routing_cache_seconds)
    oplog = OperatorLog(broker, SERVICE)
    dispatcher = Dispatcher(book, sessions, sender, oplog)
    messages = Messages(settings.public_url)
    retention = delivery_retention(settings.notification_retention_days)
    throttle = throttle_bucket(broker, settings.stream_replicas)
    consumers = event_consumers(broker, EventHandlers(dispatcher, messages, throttle))
    register_test_requests(broker, dispatcher)
    periodic = [
        Periodic(
            "retry-sweep",
            settings.retry_sweep_seconds,
            RetrySweep(dispatcher, settings.retry_max_age_hours).run,
        ),
        Periodic("digests", settings.digest_check_seconds, Digests(dispatcher).run),
        Periodic(
            "staleness",
            settings.stale_check_seconds,
            StalenessCheck(dispatcher, messages, throttle, settings.stale_after_hours).run,
        ),
        Periodic(
            "retention",
            SWEEP_INTERVAL_SECONDS,
            lambda: sweep_all(sessions, [retention], oplog, utc_now()),
        ),
    ]

    async def start() -> None:
        for consumer in consumers:
            await consumer.start()
        for task in periodic:
            task.start()

    async def stop() -> None:
        for task in periodic:
            await task.stop()
        for consumer in consumers:
            await consumer.close(timeout=10)
        await sender.close()
        await engine.dispose()

    app = build_service_app(
        broker, on_shutdown=[stop], readiness=[c.not_ready_reason for c in consumers]
    )
    app.after_startup(start)
    return app
