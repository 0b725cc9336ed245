"""The one place that builds the broker and declares NetRaven's streams.

Streams are declared here with nats-py, idempotently, before subscribers start; subscribers
refer to them with `stream_ref` (FastStream is told not to declare them itself). Every event is
published with its `event_id` as `Nats-Msg-Id`, so a publish retried within the duplicate window
is stored once.
"""

import logging

from faststream.nats import JStream, NatsBroker
from nats.js.api import ConsumerConfig, RetentionPolicy, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from netraven_shared.events import Event
from netraven_shared.failure_policy import FailurePolicy
from netraven_shared.settings import NetRavenSettings

_DAY = 24 * 3600
_DEDUP_WINDOW = 120

STREAMS = (
    StreamConfig(
        name="NETRAVEN_JOBS",
        subjects=["netraven.jobs.>"],
        retention=RetentionPolicy.WORK_QUEUE,
        max_age=_DAY,
        duplicate_window=_DEDUP_WINDOW,
    ),
    StreamConfig(
        name="NETRAVEN_BACKUPS",
        subjects=["netraven.backups.>", "netraven.configs.>", "netraven.devices.>"],
        max_age=7 * _DAY,
        duplicate_window=_DEDUP_WINDOW,
    ),
    StreamConfig(
        name="NETRAVEN_LOGS",
        subjects=["netraven.logs.>", "netraven.bus.>"],
        max_age=3 * _DAY,
        duplicate_window=_DEDUP_WINDOW,
    ),
)
CONFIG_BUCKET = "netraven-configs"


def stream_of(subject: str) -> str:
    prefix = subject.rsplit(".", 1)[0] + ".>"
    for config in STREAMS:
        if prefix in (config.subjects or []):
            return config.name
    raise ValueError(f"no NetRaven stream holds subject {subject}")


def stream_ref(subject: str) -> JStream:
    return JStream(stream_of(subject), declare=False)


def consumer_config(ack_wait_seconds: float = 60, max_deliver: int = 10) -> ConsumerConfig:
    """Explicit ack with bounded redelivery: a message held past `ack_wait` goes to another
    instance of the consumer."""
    return ConsumerConfig(ack_wait=ack_wait_seconds, max_deliver=max_deliver)


def build_broker(settings: NetRavenSettings, client_name: str) -> NatsBroker:
    return NatsBroker(
        settings.nats_url,
        name=client_name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        logger=logging.getLogger("faststream"),
        log_level=logging.DEBUG,
        middlewares=[FailurePolicy],
    )


async def declare_streams(broker: NatsBroker) -> None:
    """Connect and make sure the streams and the config object store exist as declared."""
    await broker.connect()
    js = broker.config.connection_state.stream
    for config in STREAMS:
        try:
            await js.add_stream(config)
        except BadRequestError:
            await js.update_stream(config)
    try:
        await js.object_store(CONFIG_BUCKET)
    except NotFoundError:
        await js.create_object_store(CONFIG_BUCKET)


async def publish_event(broker: NatsBroker, event: Event) -> None:
    await broker.publish(
        event,
        event.subject,
        headers={"Nats-Msg-Id": str(event.event_id)},
        correlation_id=str(event.correlation_id),
        stream=stream_of(event.subject),
        timeout=10,
    )
