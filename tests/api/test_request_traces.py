"""A request's span never holds its URL's query: the live streams' token travels there."""

from netraven_api.request_traces import without_query
from opentelemetry.sdk.trace import TracerProvider

TOKEN = "stream-token-that-must-not-leave"


class TestWithoutQuery:
    def test_every_url_attribute_loses_its_query(self) -> None:
        tracer = TracerProvider().get_tracer("test")
        with tracer.start_as_current_span("GET /api/logs/stream") as span:
            span.set_attributes(
                {
                    "http.target": f"/api/logs/stream?token={TOKEN}",
                    "http.url": f"http://api/api/logs/stream?token={TOKEN}",
                    "url.query": f"token={TOKEN}",
                    "http.method": "GET",
                }
            )
            without_query(span, {"query_string": f"token={TOKEN}".encode()})
            recorded = dict(span.attributes)

        assert recorded == {
            "http.target": "/api/logs/stream",
            "http.url": "http://api/api/logs/stream",
            "url.query": "",
            "http.method": "GET",
        }
