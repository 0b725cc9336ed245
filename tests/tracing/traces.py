"""Reading the spans the receiver holds: one trace, found by a span's attribute, and whether its
spans hang together."""

import asyncio
import time
from collections.abc import Callable

from tests.fixtures.otlp_receiver import OtlpReceiver, ReceivedSpan

SERVER = 2  # the OTLP span kinds
CONSUMER = 5


def trace_holding(receiver: OtlpReceiver, name: str, **attributes: str) -> list[ReceivedSpan]:
    """Every span of the trace that holds a span `name` with `attributes`."""
    spans = receiver.received()
    found = next(
        (
            s
            for s in spans
            if s.name == name and all(s.attributes.get(k) == v for k, v in attributes.items())
        ),
        None,
    )
    return [] if found is None else [s for s in spans if s.trace_id == found.trace_id]


async def wait_for_trace(
    receiver: OtlpReceiver,
    name: str,
    complete: Callable[[list[ReceivedSpan]], bool],
    timeout: float = 30,
    **attributes: str,
) -> list[ReceivedSpan]:
    """The trace holding span `name` with `attributes`, once `complete` says it is (spans of one
    trace reach the receiver from each service in its own time)."""
    deadline = time.monotonic() + timeout
    while True:
        trace = trace_holding(receiver, name, **attributes)
        if trace and complete(trace):
            return trace
        if time.monotonic() > deadline:
            names = sorted({(s.service, s.name) for s in trace})
            raise AssertionError(f"the trace of {name} {attributes} is incomplete: {names}")
        await asyncio.sleep(0.3)


def services_in(trace: list[ReceivedSpan]) -> set[str]:
    return {span.service for span in trace}


def orphans(trace: list[ReceivedSpan]) -> list[ReceivedSpan]:
    """The spans whose parent is not in the trace (its root excepted)."""
    ids = {span.span_id for span in trace}
    return [span for span in trace if span.parent_span_id and span.parent_span_id not in ids]


def roots(trace: list[ReceivedSpan]) -> list[ReceivedSpan]:
    return [span for span in trace if not span.parent_span_id]


def named(trace: list[ReceivedSpan], name: str) -> list[ReceivedSpan]:
    return [span for span in trace if span.name == name]


def ancestors(trace: list[ReceivedSpan], span: ReceivedSpan) -> list[ReceivedSpan]:
    """`span`'s parent, its parent's parent, … up to the root."""
    by_id = {each.span_id: each for each in trace}
    chain = []
    while (parent := by_id.get(span.parent_span_id)) is not None:
        chain.append(parent)
        span = parent
    return chain
