"""Schemathesis over the whole OpenAPI schema: no input makes the api answer 5xx, and every error is
JSON `{"error": ..., "detail": ...}`.

Schemathesis' own ASGI transport would run the app on a second event loop with a second lifespan (a
second broker on the same durable consumers), so the session's app is served by uvicorn on the test
loop instead, and schemathesis' blocking client calls it from a worker thread.
"""

import asyncio
from collections.abc import AsyncIterator

import pytest
import requests
import schemathesis
import uvicorn
from fastapi import FastAPI
from httpx import AsyncClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from netraven_devstack.ports import free_port
from schemathesis import GenerationMode
from schemathesis.core.transport import Response
from schemathesis.schemas import APIOperation, BaseSchema

# Inputs per operation and mode (derandomized, so each run tries the same): at 25 the admin pass
# took 230-300 s in CI as the API grew, against pytest-timeout's 300.
EXAMPLES = 12
# An event stream never ends: read what arrives in the first half second, and try fewer inputs.
STREAM_EXAMPLES, STREAM_READ_SECONDS = 8, 0.5
# gitkeeper is not part of the api test session: reading, diffing, searching, downloading or
# archiving configs is an expected 503. A device outside the management networks (which the fuzzer
# may set) is a 422 that also lists them; a device type no driver has is a 422 that lists the
# platforms.
EXTRA_ERROR_FIELDS = {"management_networks", "platforms"}
# Signing out everywhere would end the shared admin's token for every operation after it: only the
# anonymous pass calls it (test_sessions.py checks what it does).
ENDS_THE_CALLERS_SESSIONS = {"POST /api/auth/sign-out-everywhere"}
MAY_BE_UNAVAILABLE = {
    "GET /api/devices/{device_id}/configs/{commit}",
    "GET /api/devices/{device_id}/configs/diff",
    "GET /api/configs/search",
    "GET /api/devices/{device_id}/configs/{commit}/download",
    "GET /api/configs/archive",
    # No notifier runs in the api test session (test_notification_deliveries.py answers one).
    "POST /api/notifications/channels/{channel_id}/test",
}


@pytest.fixture(scope="module")
async def base_url(api_app: FastAPI) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(api_app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "uvicorn did not start"
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await serving


@pytest.fixture(scope="module", autouse=True)
async def nothing_global_left_after(admin: AsyncClient) -> AsyncIterator[None]:
    """The fuzzer may set management networks, save config filters, add notification channels,
    compliance rules and inventory sources: the tests after this module create devices anywhere,
    back up configs no filter touches, route notifications only where they say, and find only
    their own rules' violations."""
    yield
    assert (await admin.put("/api/management-networks", json={"networks": []})).status_code == 200
    for each in (await admin.get("/api/config-filters")).json():
        await admin.delete(f"/api/config-filters/{each['id']}")
    for each in (await admin.get("/api/notifications/channels")).json():
        await admin.delete(f"/api/notifications/channels/{each['id']}")
    for each in (await admin.get("/api/compliance/rules")).json():
        await admin.delete(f"/api/compliance/rules/{each['id']}")
    for each in (await admin.get("/api/inventory-sources")).json():
        await admin.delete(f"/api/inventory-sources/{each['id']}")


@pytest.fixture(scope="module")
def schema(api_app: FastAPI) -> BaseSchema:
    return schemathesis.openapi.from_dict(api_app.openapi())


def is_stream(operation: APIOperation) -> bool:
    responses = operation.definition.raw.get("responses", {}).values()
    return any("text/event-stream" in response.get("content", {}) for response in responses)


def problem_with(operation: APIOperation, response: Response) -> str | None:
    status = response.status_code
    if status >= 500 and not (status == 503 and operation.label in MAY_BE_UNAVAILABLE):
        return f"server error {status}: {response.text[:500]}"
    if status < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return f"{status} is not JSON: {response.text[:200]!r}"
    if (
        not isinstance(body, dict)
        or set(body) - EXTRA_ERROR_FIELDS != {"error", "detail"}
        or not isinstance(body["error"], str)
    ):
        return f"{status} body is not {{error, detail}}: {body!r}"
    return None


def fuzz(
    base_url: str,
    schema: BaseSchema,
    headers: dict[str, str],
    modes: list[GenerationMode],
    examples: int,
) -> list[str]:
    """Every operation in every mode; the shrunk failing input of each, or nothing.

    Negative data cannot exist for an operation without inputs (the health check): that is skipped.
    """
    failures = []
    with requests.Session() as http:
        for operation in (result.ok() for result in schema.get_all_operations()):
            if headers and operation.label in ENDS_THE_CALLERS_SESSIONS:
                continue
            stream = is_stream(operation)
            timeout = (5, STREAM_READ_SECONDS) if stream else 10
            for mode in modes:

                @settings(
                    max_examples=min(examples, STREAM_EXAMPLES) if stream else examples,
                    derandomize=True,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=operation.as_strategy(generation_mode=mode))
                def call(case: schemathesis.Case) -> None:
                    # called below, in this same iteration
                    response = case.call(
                        base_url=base_url,
                        session=http,
                        headers=headers,
                        timeout=timeout,  # noqa: B023
                    )
                    problem = problem_with(operation, response)  # noqa: B023
                    assert problem is None, f"{problem}\n{case.as_curl_command(headers=headers)}"

                try:
                    call()
                except AssertionError as error:
                    failures.append(f"{operation.label} ({mode}): {error}")
                except Unsatisfiable:
                    assert mode is GenerationMode.NEGATIVE, (
                        f"{operation.label}: no valid input can be generated"
                    )
    return failures


class TestEveryOperation:
    async def test_admin_never_gets_a_server_error_and_errors_are_json(
        self, base_url: str, schema: BaseSchema, admin: AsyncClient
    ) -> None:
        headers = {"Authorization": admin.headers["Authorization"]}
        modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
        failures = await asyncio.to_thread(fuzz, base_url, schema, headers, modes, EXAMPLES)
        assert not failures, "\n\n".join(failures)

    async def test_anonymous_callers_get_json_errors_too(
        self, base_url: str, schema: BaseSchema
    ) -> None:
        failures = await asyncio.to_thread(fuzz, base_url, schema, {}, [GenerationMode.POSITIVE], 5)
        assert not failures, "\n\n".join(failures)
