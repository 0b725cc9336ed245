"""The one place that builds the broker and declares NetRaven's streams.

The broker connects as one bus identity (`bus_identities`): TLS verified against the bus CA, the
identity's nkey, and its private inbox prefix. Each identity declares the streams and object
stores it owns, idempotently, before its subscribers start, and waits for those others own;
subscribers refer to streams with `stream_ref` (FastStream is told not to declare them), each with
the settings' `stream_replicas` copies (an existing one is updated to that count). Every
event is published with its `event_id` as `Nats-Msg-Id`, so a publish retried within the
duplicate window is stored once.

`publish_event` sends one event and waits for its ack; `publish_events` sends a whole batch
back to back on the connection and waits for all the acks together, on one reply subscription
of its own: a request per event (a future, a timer and a reply token each) cost more than the
events themselves when a service announces hundreds at once.
"""

import asyncio
import json
import logging
import ssl
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from functools import cache
from typing import Any

import structlog
from faststream.nats import JStream, NatsBroker
from faststream.nats.security import NatsNKey
from faststream.security import BaseSecurity
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import (
    ConnectionClosedError,
    ConnectionReconnectingError,
    NoRespondersError,
    OutboundBufferLimitError,
)
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, Header, ObjectStoreConfig, StreamConfig
from nats.js.errors import APIError, BadRequestError, NotFoundError

from netraven_shared.bus_identities import (
    OBJECT_STORE_OWNERS,
    STREAM_OWNERS,
    TEST_IDENTITY,
    identity_named,
    inbox_prefix_of,
)
from netraven_shared.bus_streams import OBJECT_STORES, STREAMS, stream_of
from netraven_shared.events import Event
from netraven_shared.failure_policy import FailurePolicy
from netraven_shared.settings import NetRavenSettings
from netraven_shared.tracing.carrier import with_trace_context
from netraven_shared.tracing.provider import tracing_on

__all__ = [
    "STREAMS",
    "NetRavenBroker",
    "build_broker",
    "consumer_config",
    "declare_streams",
    "publish_event",
    "publish_events",
    "stream_of",
    "stream_ref",
]

log = structlog.get_logger(__name__)
WAIT_RETRY_SECONDS = 2.0
# A killed server closes its sockets and the client moves to the next at once; a hung one is
# noticed after PING_INTERVAL_SECONDS * (MAX_OUTSTANDING_PINGS + 1) without an answer.
PING_INTERVAL_SECONDS = 5
MAX_OUTSTANDING_PINGS = 2
PUBLISH_ACK_SECONDS = 10.0
_NO_RESPONDERS = "503"
_EXPECTED_STREAM = Header.EXPECTED_STREAM.value


def stream_ref(subject: str) -> JStream:
    return JStream(stream_of(subject), declare=False)


def consumer_config(ack_wait_seconds: float = 60, max_deliver: int = 10) -> ConsumerConfig:
    """Explicit ack with bounded redelivery: a message held past `ack_wait` goes to another
    instance of the consumer."""
    return ConsumerConfig(ack_wait=ack_wait_seconds, max_deliver=max_deliver)


class NetRavenBroker(NatsBroker):
    """A NatsBroker whose pull subscribers fetch on the identity's private inbox: FastStream
    otherwise gives every pull subscriber the shared `_INBOX.` prefix, which no identity may
    read."""

    def __init__(self, *args: Any, identity: str, stream_replicas: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, inbox_prefix=inbox_prefix_of(identity), **kwargs)
        self.identity = identity
        self.stream_replicas = stream_replicas
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
    """The broker of one bus identity; `client_name` (default: the identity) names the
    connection. It reconnects forever, to any server of `nats_url` or of the cluster the server
    announces. When tracing is on, FastStream's own middleware carries the trace context through
    its publishers and subscribers (request and reply included)."""
    middlewares: list[Any] = [FailurePolicy]
    if tracing_on():
        from faststream.nats.opentelemetry import NatsTelemetryMiddleware

        middlewares.insert(0, NatsTelemetryMiddleware())
    return NetRavenBroker(
        settings.nats_servers,
        identity=identity,
        stream_replicas=settings.stream_replicas,
        name=client_name or identity,
        security=bus_security(settings),
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        ping_interval=PING_INTERVAL_SECONDS,
        max_outstanding_pings=MAX_OUTSTANDING_PINGS,
        logger=logging.getLogger("faststream"),
        log_level=logging.DEBUG,
        middlewares=middlewares,
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
    wanted = (config.ttl, config.max_bytes, config.replicas)
    if (info.config.max_age, info.config.max_bytes, info.config.num_replicas) != wanted:
        await js.update_stream(
            replace(
                info.config,
                max_age=config.ttl,
                max_bytes=config.max_bytes,
                num_replicas=config.replicas,
            )
        )


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
    replicas = broker.stream_replicas
    for config in STREAMS:
        if everything or STREAM_OWNERS[str(config.name)] == identity:
            await _declare_stream(js, replace(config, num_replicas=replicas))
    for store in OBJECT_STORES:
        if everything or OBJECT_STORE_OWNERS[str(store.bucket)] == identity:
            await _declare_object_store(js, replace(store, replicas=replicas))
    if everything:
        return
    user = identity_named(identity)
    for stream in user.uses_streams:
        await _wait_for(js, stream, STREAM_OWNERS[stream])
    for bucket, access in user.objects.items():
        if not access.startswith("own"):
            await _wait_for(js, f"OBJ_{bucket}", OBJECT_STORE_OWNERS[bucket])


def _headers(event: Event) -> dict[str, str]:
    """The headers FastStream would set (its subscribers read them), the dedup id, the stream
    the subject must land in (as nats-py's JetStream publish sets it), and the trace context when
    tracing is on."""
    return with_trace_context(
        {
            "content-type": "application/json",
            "correlation_id": str(event.correlation_id),
            "Nats-Msg-Id": str(event.event_id),
            _EXPECTED_STREAM: _stream_holding(event.published_on),
        }
    )


_stream_holding = cache(stream_of)


async def publish_event(broker: NatsBroker, event: Event) -> None:
    """Publish on JetStream and wait for the stream's ack. Straight through nats-py with the headers
    FastStream would set (its subscribers read them): FastStream's publish path (middlewares,
    codec) cost more than the publish itself for every per-device event."""
    js: JetStreamContext = broker.config.connection_state.stream
    payload = event.model_dump_json().encode()
    await js.publish(
        event.published_on, payload, headers=_headers(event), timeout=PUBLISH_ACK_SECONDS
    )


class _Acks:
    """The stream's acks of one batch, each on its own reply subject `<inbox>.<index>`."""

    def __init__(self, expected: int) -> None:
        self.awaiting = set(range(expected))
        self.all_in: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def receive(self, reply: Msg) -> None:
        if self.all_in.done():
            return
        if reply.headers and reply.headers.get(Header.STATUS) == _NO_RESPONDERS:
            self.all_in.set_exception(NoRespondersError())
            return
        answer = json.loads(reply.data)
        if "error" in answer:
            try:
                APIError.from_error(answer["error"])  # raises the error's own class
            except APIError as error:
                self.all_in.set_exception(error)
            return
        self.awaiting.discard(int(reply.subject.rpartition(".")[2]))
        if not self.awaiting:
            self.all_in.set_result(None)


async def publish_events(
    broker: NatsBroker, events: Sequence[Event], timeout: float = PUBLISH_ACK_SECONDS
) -> None:
    """Publish every event on JetStream, back to back, and wait until the stream has acked them all
    (each serialized once, with the headers `publish_event` sets). Raises on the first refusal, or
    as an outage (`outage.is_outage`) when an ack is missing after `timeout` or the batch outgrows
    the client's buffer while it reconnects; some events may then be stored already, and
    publishing the batch again stores each of them once (their dedup ids)."""
    if len(events) <= 1:
        for event in events:
            await publish_event(broker, event)
        return
    client: Client = broker.config.connection_state.connection
    inbox = client.new_inbox()
    acks = _Acks(len(events))
    replies = await client.subscribe(f"{inbox}.*", cb=acks.receive)
    try:
        await _send(client, inbox, events)
        await asyncio.wait_for(acks.all_in, timeout)
    except TimeoutError as error:
        raise NatsTimeout() from error
    finally:
        with suppress(ConnectionClosedError):  # the subscription ended with its connection
            await replies.unsubscribe()


async def _send(client: Client, inbox: str, events: Sequence[Event]) -> None:
    """Each event with its ack asked on `<inbox>.<index>`. The client buffers what it sends while it
    reconnects, and refuses what outgrows that buffer: then NATS is away, not the data wrong."""
    try:
        for index, event in enumerate(events):
            await client.publish(
                event.published_on,
                event.model_dump_json().encode(),
                reply=f"{inbox}.{index}",
                headers=_headers(event),
            )
    except OutboundBufferLimitError as error:
        raise ConnectionReconnectingError() from error
