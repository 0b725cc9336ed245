"""The trace context across the bus: injected into a message's NATS headers where it is published
(W3C `traceparent`, `tracestate`), extracted where it is handled, and the spans around both.

Every function is a single `if` while tracing is off: no header is added and no span is made.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace import INVALID_SPAN, Span, SpanKind
from opentelemetry.util.types import AttributeValue

from netraven_shared.tracing.provider import tracer, tracing_on

IDS = ("run_id", "device_id", "job_id")
TRACE_HEADERS = ("traceparent", "tracestate")


def with_trace_context(headers: dict[str, str]) -> dict[str, str]:
    """`headers` with the current span's context added (as they were when tracing is off)."""
    if tracing_on():
        propagate.inject(headers)
    return headers


def current_context() -> dict[str, str]:
    """The current span's context as headers, to keep with what is published later (the outbox);
    empty when tracing is off."""
    return with_trace_context({})


def context_of(headers: Mapping[str, str] | None) -> Context:
    return propagate.extract(headers or {})


def ids_of(event: object) -> dict[str, AttributeValue]:
    """The run, device and job ids `event` carries, as span attributes `netraven.<id>`."""
    found = {name: getattr(event, name, None) for name in IDS}
    return {f"netraven.{name}": str(value) for name, value in found.items() if value is not None}


def annotate(**attributes: object) -> None:
    """Set `netraven.<name>` attributes on the current span (never a secret or a config text)."""
    if tracing_on():
        span = trace.get_current_span()
        span.set_attributes({f"netraven.{name}": str(value) for name, value in attributes.items()})


@contextmanager
def handling(
    name: str, headers: Mapping[str, str] | None, subject: str, **attributes: object
) -> Iterator[Span]:
    """The span of one message handled, a child of the span that published it."""
    if not tracing_on():
        yield INVALID_SPAN
        return
    with tracer().start_as_current_span(
        name,
        context=context_of(headers),
        kind=SpanKind.CONSUMER,
        attributes=_messaging(subject) | _named(attributes),
    ) as span:
        yield span


@contextmanager
def spanned(name: str, **attributes: object) -> Iterator[Span]:
    """A span of this service's own work, under the current one."""
    if not tracing_on():
        yield INVALID_SPAN
        return
    with tracer().start_as_current_span(name, attributes=_named(attributes)) as span:
        yield span


@contextmanager
def relaying(
    stored: Mapping[str, Any] | None, subject: str, headers: dict[str, str]
) -> Iterator[None]:
    """Publish a message that was kept with the context it was made in (`stored`, from
    `current_context`): a producer span under that context, whose own context goes in `headers`.
    A process that does not trace passes the stored context on as it is."""
    if not stored:
        yield
        return
    if not tracing_on():
        headers.update({key: str(stored[key]) for key in TRACE_HEADERS if key in stored})
        yield
        return
    with tracer().start_as_current_span(
        f"{subject} publish",
        context=context_of(stored),
        kind=SpanKind.PRODUCER,
        attributes=_messaging(subject),
    ):
        propagate.inject(headers)
        yield


def _messaging(subject: str) -> dict[str, AttributeValue]:
    return {"messaging.system": "nats", "messaging.destination.name": subject}


def _named(attributes: Mapping[str, object]) -> dict[str, AttributeValue]:
    return {f"netraven.{name}": str(value) for name, value in attributes.items()}
