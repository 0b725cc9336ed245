"""Whether this process traces.

Tracing is on when the standard `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
`OTEL_EXPORTER_OTLP_ENDPOINT` is set (and `OTEL_SDK_DISABLED` is not true): spans are batched and
exported over OTLP/HTTP (`sdk`). Otherwise the SDK is never imported, the global tracer stays
OpenTelemetry's no-op one, and every helper of this package returns at its first `if`: a benchmark
with no endpoint pays nothing measurable.
"""

import os
from collections.abc import Mapping
from functools import cache

import structlog
from opentelemetry import metrics, trace
from sqlalchemy.ext.asyncio import AsyncEngine

log = structlog.get_logger()

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
TRACER_NAME = "netraven"

_on = False


def tracing_on() -> bool:
    return _on


def endpoint_configured(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    disabled = env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true"
    return not disabled and any(env.get(name, "").strip() for name in ENDPOINT_VARIABLES)


def configure_tracing(service: str) -> bool:
    """Install the tracer provider of `service` (`service.name` netraven-<service>) when an OTLP
    endpoint is configured; True when this process traces."""
    global _on
    if _on or not endpoint_configured():
        return _on
    from netraven_shared.tracing.sdk import install_provider

    provider = install_provider(f"netraven-{service}")
    _on = True
    log.info(
        "tracing.enabled", service=f"netraven-{service}", sampler=provider.sampler.get_description()
    )
    return True


@cache
def tracer() -> trace.Tracer:
    """NetRaven's tracer; asked for only once tracing is on, so the SDK's."""
    return trace.get_tracer(TRACER_NAME)


def trace_queries(engine: AsyncEngine) -> None:
    """Record `engine`'s statements as spans of the trace they run in (nothing when off)."""
    if not _on:
        return
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    usage = metrics.get_meter(TRACER_NAME).create_up_down_counter("db.client.connections.usage")
    EngineTracer(trace.get_tracer("netraven.sqlalchemy"), engine.sync_engine, usage)
