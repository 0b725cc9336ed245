"""The trace context across the bus on real NATS and PostgreSQL: injected into the headers of what
is published and extracted where it is handled, kept beside an outbox row until the relay
publishes it, a batch's messages each under their own producer; and nothing of it while tracing
is off."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import uuid4

from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.events import JobDispatched, LogEmitted, subjects
from netraven_shared.messaging import publish_event, publish_events
from netraven_shared.outbox import enqueue, lock_pending
from netraven_shared.tracing.batches import MessageSpans
from netraven_shared.tracing.carrier import current_context, handling, relaying, spanned
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.fixtures.infra import Infra


def a_line(message: str = "traced") -> LogEmitted:
    return LogEmitted(level="info", log_type="system", message=message, source="test")


def a_dispatch() -> JobDispatched:
    return JobDispatched(
        run_id=uuid4(), device_id=uuid4(), trigger="manual", kind="backup", correlation_id=uuid4()
    )


@asynccontextmanager
async def received(broker: NatsBroker, subject: str) -> AsyncIterator[list[Msg]]:
    """The messages published on `subject` meanwhile, as a plain NATS subscriber sees them."""
    seen: list[Msg] = []

    async def keep(message: Msg) -> None:
        seen.append(message)

    subscription = await broker.config.connection_state.connection.subscribe(subject, cb=keep)
    try:
        yield seen
    finally:
        await broker.config.connection_state.connection.flush()
        await subscription.unsubscribe()


async def wait_for(seen: list[Msg], count: int) -> None:
    async with asyncio.timeout(10):
        while len(seen) < count:
            await asyncio.sleep(0.05)


def trace_id_in(headers: dict[str, str]) -> int:
    return int(headers["traceparent"].split("-")[1], 16)


class TestTracingOff:
    async def test_no_trace_header_is_published_and_nothing_is_kept_with_the_outbox(
        self, broker: NatsBroker, infra: Infra
    ) -> None:
        async with received(broker, subjects.LOG_EMITTED) as seen:
            with spanned("nothing"):
                await publish_event(broker, a_line())
                await publish_events(broker, [a_line(), a_line()])
            await wait_for(seen, 3)
        assert [m.headers.get("traceparent") for m in seen if m.headers] == [None] * 3
        assert all(m.headers and "Nats-Msg-Id" in m.headers for m in seen)
        assert current_context() == {}

        engine = create_engine(infra.database_url, pool_size=1)
        try:
            async with session_factory(engine)() as session:
                dispatch = a_dispatch()
                await enqueue(session, [dispatch])
                [row] = [
                    r
                    for r in await lock_pending(session, 10_000)
                    if r.event_id == dispatch.event_id
                ]
                await session.rollback()
        finally:
            await engine.dispose()
        assert row.trace is None
        headers: dict[str, str] = {}
        with relaying(row.trace, row.subject, headers):
            pass
        assert headers == {}

    def test_a_relay_that_does_not_trace_passes_the_stored_context_on(self) -> None:
        stored = {
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "tracestate": "vendor=1",
            "baggage": "not-carried",
        }
        headers = {"Nats-Msg-Id": "x"}
        with relaying(stored, subjects.JOB_DISPATCHED, headers):
            pass
        assert headers == {
            "Nats-Msg-Id": "x",
            "traceparent": stored["traceparent"],
            "tracestate": "vendor=1",
        }


class TestTracingOn:
    async def test_a_message_handled_is_a_child_of_the_span_that_published_it(
        self, broker: NatsBroker, spans: InMemorySpanExporter
    ) -> None:
        async with received(broker, subjects.LOG_EMITTED) as seen:
            with spanned("api.dispatch") as publishing:
                await publish_event(broker, a_line())
                await publish_events(broker, [a_line(), a_line()])
            await wait_for(seen, 3)
        published = publishing.get_span_context()
        assert {trace_id_in(m.headers or {}) for m in seen} == {published.trace_id}

        with handling("worker.backup", seen[0].headers, seen[0].subject, attempt=1):
            pass
        [handled] = [s for s in spans.get_finished_spans() if s.name == "worker.backup"]
        assert handled.kind == SpanKind.CONSUMER
        assert handled.parent is not None and handled.parent.span_id == published.span_id
        assert handled.context.trace_id == published.trace_id
        assert handled.attributes["messaging.destination.name"] == subjects.LOG_EMITTED
        assert handled.attributes["netraven.attempt"] == "1"

    async def test_an_outbox_row_is_published_under_the_span_that_enqueued_it(
        self, infra: Infra, spans: InMemorySpanExporter
    ) -> None:
        engine = create_engine(infra.database_url, pool_size=1)
        dispatch = a_dispatch()
        try:
            async with session_factory(engine)() as session:
                with spanned("api.dispatch") as enqueuing:
                    await enqueue(session, [dispatch])
                rows = await lock_pending(session, 10_000)
                [row] = [r for r in rows if r.event_id == dispatch.event_id]
                await session.rollback()
        finally:
            await engine.dispose()
        assert "_trace" not in row.payload
        assert JobDispatched.model_validate_json(row.payload) == dispatch
        assert trace_id_in(row.trace) == enqueuing.get_span_context().trace_id

        headers: dict[str, str] = {}
        with relaying(row.trace, row.subject, headers):
            pass
        [publish] = [s for s in spans.get_finished_spans() if s.kind == SpanKind.PRODUCER]
        assert publish.parent is not None
        assert publish.parent.span_id == enqueuing.get_span_context().span_id
        assert headers["traceparent"].split("-")[2] == f"{publish.context.span_id:016x}"

    async def test_each_message_of_a_batch_is_handled_under_its_own_producer(
        self, spans: InMemorySpanExporter
    ) -> None:
        producers, messages = [], []
        for name in ("first", "second"):
            with spanned(name) as producer:
                producers.append(producer.get_span_context())
                messages.append(Msg(None, subjects.BACKUP_SUCCEEDED, headers=current_context()))
        batch_spans = MessageSpans("gitkeeper.commit", subjects.BACKUP_SUCCEEDED, "gitkeeper")

        with batch_spans.around([(m, a_dispatch()) for m in messages]):
            writing = trace.get_current_span()
            batch_spans.failed(messages[1], "refused")

        handled = [s for s in spans.get_finished_spans() if s.name == "gitkeeper.commit"]
        assert [s.parent.span_id for s in handled if s.parent] == [p.span_id for p in producers]
        assert [s.context.trace_id for s in handled] == [p.trace_id for p in producers]
        assert [s.status.is_ok for s in handled] == [True, False]
        assert all("netraven.device_id" in s.attributes for s in handled)
        [batch] = [s for s in spans.get_finished_spans() if s.name == "gitkeeper.commit batch"]
        assert batch.context.span_id == writing.get_span_context().span_id
        assert [link.context.span_id for link in batch.links] == [
            s.context.span_id for s in handled
        ]

    async def test_a_batch_of_one_is_written_inside_its_messages_span(
        self, spans: InMemorySpanExporter
    ) -> None:
        with spanned("worker.backup"):
            message = Msg(None, subjects.BACKUP_SUCCEEDED, headers=current_context())
        batch_spans = MessageSpans("api.record", subjects.BACKUP_SUCCEEDED, "api-record-collected")

        with batch_spans.around([(message, a_dispatch())]):
            writing = trace.get_current_span().get_span_context()

        [handled] = [s for s in spans.get_finished_spans() if s.name == "api.record"]
        assert handled.context.span_id == writing.span_id
        assert not [s for s in spans.get_finished_spans() if s.name.endswith(" batch")]
