"""The api builds FastAPI's routing at start, so no request pays for reading every endpoint's
dependencies (about a third of a second of CPU on the first request otherwise)."""

import fastapi.routing
import pytest
from netraven_api.app import create_app
from netraven_api.config import ApiSettings
from netraven_api.route_warmup import build_routes


def endpoints_read_by_matching(app: fastapi.FastAPI, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many endpoints' dependencies matching `POST /api/jobs/{id}/run` reads."""
    read = 0
    original = fastapi.routing.get_dependant

    def counted(*args, **kwargs):
        nonlocal read
        read += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "get_dependant", counted)
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/jobs/x/run",
        "root_path": "",
        "app": app,
    }
    for route in app.router.routes:
        route.matches(scope)
    return read


def test_a_request_after_start_reads_no_endpoint(
    api_settings: ApiSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(api_settings)
    build_routes(app)
    assert endpoints_read_by_matching(app, monkeypatch) == 0


def test_without_it_the_first_request_reads_them(
    api_settings: ApiSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert endpoints_read_by_matching(create_app(api_settings), monkeypatch) > 10
