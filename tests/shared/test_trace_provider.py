"""Tracing is switched on by the standard OTLP endpoint variables alone: without one no SDK is
loaded; with one the process exports as netraven-<service>, and a query outside any trace is not
recorded."""

import json
import os
import subprocess
import sys

import pytest
from netraven_shared.tracing.provider import endpoint_configured
from netraven_shared.tracing.sdk import QueriesWithinATrace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_ON
from opentelemetry.trace import SpanKind

# Run in a process of its own: a process sets its tracer provider once.
CONFIGURE = """
import json, sys
from netraven_shared.tracing.provider import configure_tracing
from opentelemetry import trace
on = configure_tracing("worker")
resource = getattr(trace.get_tracer_provider(), "resource", None)
print(json.dumps({
    "on": on,
    "sdk_loaded": "opentelemetry.sdk.trace" in sys.modules,
    "service": resource.attributes.get("service.name") if resource else None,
    "instance": resource.attributes.get("service.instance.id") if resource else None,
}))
"""


def configured_with(env: dict[str, str]) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    done = subprocess.run(
        [sys.executable, "-c", CONFIGURE],
        env=clean | env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


class TestSwitchedOnByTheEndpoint:
    @pytest.mark.parametrize(
        ("env", "on"),
        [
            ({}, False),
            ({"OTEL_EXPORTER_OTLP_ENDPOINT": "  "}, False),
            ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
            ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
            (
                {
                    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
                    "OTEL_SDK_DISABLED": "true",
                },
                False,
            ),
        ],
    )
    def test_the_standard_variables_decide(self, env: dict[str, str], on: bool) -> None:
        assert endpoint_configured(env) is on

    def test_without_an_endpoint_no_sdk_is_loaded(self) -> None:
        assert configured_with({}) == {
            "on": False,
            "sdk_loaded": False,
            "service": None,
            "instance": None,
        }

    def test_with_an_endpoint_the_process_exports_as_its_service(self) -> None:
        # nothing listens there: the exporter only tries when a batch of spans is due
        configured = configured_with({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"})
        assert configured["on"] is True
        assert configured["service"] == "netraven-worker"
        assert configured["instance"].endswith(tuple("0123456789"))


class TestQueriesWithinATrace:
    def test_a_query_outside_any_trace_is_dropped_and_inside_one_kept(self) -> None:
        exporter = InMemorySpanExporter()
        provider = TracerProvider(sampler=QueriesWithinATrace(ALWAYS_ON))
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        tracer = provider.get_tracer("test")

        with tracer.start_as_current_span("SELECT", kind=SpanKind.CLIENT) as orphan:
            assert not orphan.is_recording()
        with (
            tracer.start_as_current_span("api.dispatch"),
            tracer.start_as_current_span("INSERT", kind=SpanKind.CLIENT) as query,
        ):
            assert query.is_recording()

        assert [s.name for s in exporter.get_finished_spans()] == ["INSERT", "api.dispatch"]
