"""Spans for a batch consumer: one per message, each a child of the span that published it (so
every device's trace holds its own message's handling), and the batch's write under one span that
links them all. A batch of one is written inside its message's span, which continues its trace.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from nats.aio.msg import Msg
from opentelemetry.trace import Link, Span, SpanKind, Status, StatusCode, use_span
from opentelemetry.util.types import AttributeValue

from netraven_shared.tracing.carrier import context_of, ids_of
from netraven_shared.tracing.provider import tracer, tracing_on

AttributesOf = Callable[[Any], dict[str, AttributeValue]]


class MessageSpans:
    """`name`: the span of each message (`gitkeeper.commit`); `attributes_of` reads an item's
    attributes (its ids by default)."""

    def __init__(
        self, name: str, subject: str, durable: str, attributes_of: AttributesOf = ids_of
    ) -> None:
        self._name = name
        self._common: dict[str, AttributeValue] = {
            "messaging.system": "nats",
            "messaging.destination.name": subject,
            "messaging.consumer.group.name": durable,
        }
        self._attributes_of = attributes_of
        self._open: dict[int, Span] = {}

    @contextmanager
    def around(self, batch: Sequence[tuple[Msg, Any]]) -> Iterator[None]:
        """The spans of `batch`'s messages, open while it is written and settled."""
        if not tracing_on() or not batch:
            yield
            return
        common = self._common | {"messaging.batch.message_count": len(batch)}
        for message, item in batch:
            self._open[id(message)] = tracer().start_span(
                self._name,
                context=context_of(message.headers),
                kind=SpanKind.CONSUMER,
                attributes=common | self._attributes_of(item),
            )
        try:
            if len(self._open) == 1:
                with use_span(next(iter(self._open.values()))):
                    yield
            else:
                links = [Link(span.get_span_context()) for span in self._open.values()]
                with tracer().start_as_current_span(
                    f"{self._name} batch", links=links, attributes=common
                ):
                    yield
        finally:
            for span in self._open.values():
                span.end()
            self._open.clear()

    def failed(self, message: Msg, reason: str) -> None:
        if (span := self._open.get(id(message))) is not None:
            span.set_status(Status(StatusCode.ERROR, reason))
