"""Pull requests on an inbox of our own: how the worker and every batch consumer take messages
from a JetStream durable without nats-py's `fetch`, which waits for each message with a task and a
timer of its own.

One subscription with a callback on `<inbox>.*`; each pull request gets its own reply subject
under it, so the end of a request that outlived its wait (its 404, 408 or 409 arriving late) is
dropped here, never taken for the end of the last one sent. Messages carry their own subject, not
the request's, so they cannot be told apart: each counts towards the last request sent.
"""

import json
from collections.abc import Awaitable, Callable

import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig
from nats.js.errors import APIError, NotFoundError

HEARTBEAT = "100"
log = structlog.get_logger()

Delivered = Callable[[Msg], Awaitable[None]]
Ended = Callable[[str], Awaitable[None]]  # with the status that ended the last request sent


async def ensure_durable(js: JetStreamContext, stream: str, config: ConsumerConfig) -> None:
    """Create the durable `config` names, or bring an existing one to `config`: its ack wait and
    delivery limit follow the settings of the process that started last, so a changed
    NETRAVEN_ACK_WAIT_SECONDS takes effect on restart instead of staying with whoever created the
    durable first."""
    assert config.durable_name is not None
    try:
        existing = (await js.consumer_info(stream, config.durable_name)).config
    except NotFoundError:
        existing = None
    config.name = config.durable_name
    if existing is None:
        await js.add_consumer(stream, config=config)
        return
    if all(getattr(existing, field) == getattr(config, field) for field in _UPDATABLE):
        return
    try:
        await js.add_consumer(stream, config=config)
    except APIError as error:  # a field the server cannot change: keep the durable as it is
        log.warning(
            "durable.not_updated",
            stream=stream,
            durable=config.durable_name,
            error=str(error),
            ack_wait=existing.ack_wait,
            max_deliver=existing.max_deliver,
        )


_UPDATABLE = ("ack_wait", "max_deliver")


class PullRequests:
    """`delivered` is called with each message, `ended` with the status that ends the last request
    sent (404 no messages, 408 expired, 409 refused for now, or another)."""

    def __init__(
        self, js: JetStreamContext, stream: str, durable: str, delivered: Delivered, ended: Ended
    ) -> None:
        self._nats: Client = js._nc
        self._next = f"{js._prefix}.CONSUMER.MSG.NEXT.{stream}.{durable}"
        self._delivered = delivered
        self._ended = ended
        self._inbox = ""
        self._subscription: Subscription | None = None
        self._number = 0
        self._last = ""

    async def open(self) -> None:
        self._inbox = self._nats.new_inbox()
        self._subscription = await self._nats.subscribe(f"{self._inbox}.*", cb=self._received)

    async def close(self) -> None:
        if self._subscription is not None:
            await self._subscription.unsubscribe()
            self._subscription = None

    async def send(self, batch: int, expires_seconds: float) -> None:
        """Ask for up to `batch` messages within `expires_seconds`, in place of the last request."""
        self._number += 1
        self._last = f"{self._inbox}.{self._number}"
        request = {"batch": batch, "expires": int(expires_seconds * 1e9)}
        await self._nats.publish(self._next, json.dumps(request).encode(), reply=self._last)

    async def _received(self, message: Msg) -> None:
        status = JetStreamContext.is_status_msg(message)
        if status is None:
            await self._delivered(message)
        elif status != HEARTBEAT and message.subject == self._last:
            await self._ended(status)
