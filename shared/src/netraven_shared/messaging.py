"""The one place that builds the broker and declares NetRaven's streams.

The broker connects as one bus identity (`bus_identities`): TLS verified against the bus CA, the
identity's nkey, and its private inbox prefix. Each identity declares the streams and object
stores it owns, idempotently, before its subscribers start, and waits for those others own;
subscribers refer to streams with `stream_ref` (FastStream is told not to declare them). Every
event is published with its `event_id` as `Nats-Msg-Id`, so a publish retried within the
duplicate window is stored once.
"""

import asyncio
import logging
import ssl
from dataclasses import replace
from typing import Any

import structlog
from faststream.nats import JStream, NatsBroker
from faststream.nats.security import NatsNKey
from faststream.security import BaseSecurity
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, ObjectStoreConfig, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from netraven_shared.bus_identities import (
    IDENTITIES,
    OBJECT_STORE_OWNERS,
    STREAM_OWNERS,
    TEST_IDENTITY,
    inbox_prefix_of,
)
from netraven_shared.bus_streams import OBJECT_STORES, STREAMS, stream_of
from netraven_shared.events import Event
from netraven_shared.failure_policy import FailurePolicy
from netraven_shared.settings import NetRavenSettings

__all__ = [
    "STREAMS",
    "NetRavenBroker",
    "build_broker",
    "consumer_config",
    "declare_streams",
    "publish_event",
    "stream_of",
    "stream_ref",
]

log = structlog.get_logger(__name__)
WAIT_RETRY_SECONDS = 2.0


def stream_ref(subject: str) -> JStream:
    return JStream(stream_of(subject), declare=False)


def consumer_config(ack_wait_seconds: float = 60, max_deliver: int = 10) -> ConsumerConfig:
    """Explicit ack with bounded redelivery: a message held past `ack_wait` goes to another
    instance of the consumer."""
    return ConsumerConfig(ack_wait=ack_wait_seconds, max_deliver=max_deliver)


class NetRavenBroker(NatsBroker):
    """A NatsBroker whose pull subscribers fetch on the identity's private inbox: FastStream
    otherwise gives every pull subscriber the shared `_INBOX.` prefix, which no identity may read."""

    def __init__(self, *args: Any, identity: str, **kwargs: Any) -> None:
        super().__init__(*args, inbox_prefix=inbox_prefix_of(identity), **kwargs)
        self.identity = identity
        self._pull_inbox_prefix = f"{inbox_prefix_of(identity)}.".encode()

    def subscriber(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("pull_sub") is not None:
            kwargs.setdefault("inbox_prefix", self._pull_inbox_prefix)
        return super().subscriber(*args, **kwargs)


def bus_security(settings: NetRavenSettings) -> BaseSecurity | None:
    """The identity's nkey, over TLS that trusts only the bus CA (the server's certificate must
    chain to it)."""
    tls = ssl.create_default_context(cafile=str(settings.nats_ca)) if settings.nats_ca else None
    if settings.nats_nkey is not None:
        return NatsNKey(settings.nats_nkey, ssl_context=tls)
    return BaseSecurity(ssl_context=tls) if tls else None


def build_broker(
    settings: NetRavenSettings, identity: str, client_name: str | None = None
) -> NetRavenBroker:
    """The broker of one bus identity; `client_name` (default: the identity) names the connection."""
    return NetRavenBroker(
        settings.nats_url,
        identity=identity,
        name=client_name or identity,
        security=bus_security(settings),
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        logger=logging.getLogger("faststream"),
        log_level=logging.DEBUG,
        middlewares=[FailurePolicy],
    )


async def _declare_stream(js: JetStreamContext, config: StreamConfig) -> None:
    try:
        await js.add_stream(config)
    except BadRequestError:
        await js.update_stream(config)


async def _declare_object_store(js: JetStreamContext, config: ObjectStoreConfig) -> None:
    try:
        info = await js.stream_info(f"OBJ_{config.bucket}")
    except NotFoundError:
        await js.create_object_store(str(config.bucket), config)
        return
    if (info.config.max_age, info.config.max_bytes) != (config.ttl, config.max_bytes):
        await js.update_stream(replace(info.config, max_age=config.ttl, max_bytes=config.max_bytes))


async def _wait_for(js: JetStreamContext, stream: str, owner: str) -> None:
    while True:
        try:
            await js.stream_info(stream)
            return
        except (NotFoundError, NatsTimeout):
            log.warning(
                "bus.waiting_for_stream",
                message=f"waiting for stream {stream}, declared by {owner}",
                stream=stream,
                owner=owner,
            )
            await asyncio.sleep(WAIT_RETRY_SECONDS)


async def declare_streams(broker: NetRavenBroker) -> None:
    """Connect; declare the streams and object stores the broker's identity owns (every one for the
    test identity), then wait until those it uses but others own exist."""
    identity = broker.identity
    await broker.connect()
    js: JetStreamContext = broker.config.connection_state.stream
    everything = identity == TEST_IDENTITY
    for config in STREAMS:
        if everything or STREAM_OWNERS[str(config.name)] == identity:
            await _declare_stream(js, config)
    for store in OBJECT_STORES:
        if everything or OBJECT_STORE_OWNERS[str(store.bucket)] == identity:
            await _declare_object_store(js, store)
    if everything:
        return
    user = IDENTITIES[identity]
    for stream in user.uses_streams:
        await _wait_for(js, stream, STREAM_OWNERS[stream])
    for bucket, access in user.objects.items():
        if not access.startswith("own"):
            await _wait_for(js, f"OBJ_{bucket}", OBJECT_STORE_OWNERS[bucket])


async def publish_event(broker: NatsBroker, event: Event) -> None:
    """Publish on JetStream and wait for the stream's ack. Straight through nats-py with the headers
    FastStream would set (its subscribers read them): FastStream's publish path (middlewares,
    codec) cost more than the publish itself for every per-device event."""
    js: JetStreamContext = broker.config.connection_state.stream
    headers = {
        "content-type": "application/json",
        "correlation_id": str(event.correlation_id),
        "Nats-Msg-Id": str(event.event_id),
    }
    payload = event.model_dump_json().encode()
    stream = stream_of(event.subject)
    await js.publish(event.subject, payload, stream=stream, headers=headers, timeout=10)
