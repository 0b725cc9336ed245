"""Spans made in the test process, kept by OpenTelemetry's `InMemorySpanExporter`, with tracing
switched on as a service with an OTLP endpoint would have it."""

from collections.abc import Iterator

import pytest
from netraven_shared.tracing import provider
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """The process's tracer provider can be set once: the first test sets it, every test switches
    tracing on for itself and starts with no span kept."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        sdk = TracerProvider()
        sdk.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(sdk)
    monkeypatch.setattr(provider, "_on", True)
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()
