"""The api's HTTP requests as the first span of their traces (FastAPI's OpenTelemetry
instrumentation), when tracing is on.

A URL's query never reaches a span: the live streams take their short-lived stream token as
`?token=` (a browser's EventSource cannot send a header), and no secret is exported. Health checks
are not traced.
"""

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from netraven_shared.tracing.provider import tracing_on
from opentelemetry.trace import Span

UNTRACED_PATHS = "/api/health,/health,/metrics"
_URL_ATTRIBUTES = ("http.url", "http.target", "url.full", "url.query")


def trace_requests(app: FastAPI) -> None:
    if not tracing_on():
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app,
        server_request_hook=without_query,
        excluded_urls=UNTRACED_PATHS,
        exclude_spans=["receive", "send"],  # a span per chunk of a live stream says nothing
    )


def without_query(span: Span, scope: Mapping[str, Any]) -> None:
    """Replace every URL attribute the instrumentation set from the request by the URL without its
    query."""
    if not scope.get("query_string") or not span.is_recording():
        return
    recorded: Mapping[str, Any] = getattr(span, "attributes", None) or {}
    for name in _URL_ATTRIBUTES:
        if isinstance(value := recorded.get(name), str):
            span.set_attribute(name, "" if name == "url.query" else value.partition("?")[0])
