"""The OpenTelemetry SDK's part: imported only once tracing is switched on (`provider`), so a
process with no OTLP endpoint never loads it."""

import os
import socket
from collections.abc import Sequence

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_INSTANCE_ID, SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import (
    Decision,
    Sampler,
    SamplingResult,
    _get_from_env_or_default,
)
from opentelemetry.util.types import Attributes


class QueriesWithinATrace(Sampler):
    """`inner`'s decision, except that a client span (a query, a connect) with no parent is
    dropped: a relay's poll or a heartbeat's query would otherwise make a trace per statement."""

    def __init__(self, inner: Sampler) -> None:
        self._inner = inner

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: trace.SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[trace.Link] | None = None,
        trace_state: trace.TraceState | None = None,
    ) -> SamplingResult:
        parent = trace.get_current_span(parent_context).get_span_context()
        if kind == trace.SpanKind.CLIENT and not parent.is_valid:
            return SamplingResult(Decision.DROP)
        return self._inner.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"QueriesWithinATrace{{{self._inner.get_description()}}}"


def install_provider(service_name: str) -> TracerProvider:
    """The global tracer provider of this process: spans batched and exported over OTLP/HTTP to
    the endpoint the standard variables name, sampled as OTEL_TRACES_SAMPLER says."""
    resource = Resource.create(
        {SERVICE_NAME: service_name, SERVICE_INSTANCE_ID: f"{socket.gethostname()}:{os.getpid()}"}
    )
    # _get_from_env_or_default: the SDK's own reading of OTEL_TRACES_SAMPLER(_ARG)
    provider = TracerProvider(
        resource=resource, sampler=QueriesWithinATrace(_get_from_env_or_default())
    )
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider
