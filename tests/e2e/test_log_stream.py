"""The live log over Server-Sent Events, on the real HTTP server."""

import asyncio
import json

import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab

from tests.e2e.runs import back_up
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD

pytestmark = pytest.mark.e2e


async def read_events(
    client: AsyncClient, count: int, params: dict, headers: dict | None = None, timeout: float = 30
) -> list[dict]:
    """The first `count` log events of a stream, as {"id", "data"}."""
    events: list[dict] = []

    async def collect() -> None:
        async with client.stream(
            "GET", "/api/logs/stream", params=params, headers=headers or {}
        ) as response:
            assert response.status_code == 200, await response.aread()
            assert response.headers["content-type"].startswith("text/event-stream")
            event: dict = {}
            async for line in response.aiter_lines():
                if line.startswith("id: "):
                    event["id"] = int(line[4:])
                elif line.startswith("data: "):
                    event["data"] = json.loads(line[6:])
                elif line == "" and "data" in event:
                    events.append(event)
                    event = {}
                    if len(events) == count:
                        return

    await asyncio.wait_for(collect(), timeout)
    return events


@pytest.fixture(scope="module")
async def streamed_device(stack_admin: AsyncClient, lab: Lab) -> dict:
    tag = unique("stream")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    return await create_device(stack_admin, lab.profiles[0].port, tag)


class TestLiveLog:
    async def test_new_entries_arrive_as_they_happen_filtered_by_device(
        self, stack_admin: AsyncClient, streamed_device: dict
    ) -> None:
        # A good backup writes two lines: the worker's "config collected" and gitkeeper's version.
        listening = asyncio.create_task(
            read_events(stack_admin, 2, {"device_id": streamed_device["id"]})
        )
        await asyncio.sleep(1.5)
        await back_up(stack_admin, streamed_device["id"])
        events = await listening
        assert all(e["data"]["device_id"] == streamed_device["id"] for e in events)
        assert [e["id"] for e in events] == sorted(e["id"] for e in events)

    async def test_a_reconnect_resumes_after_the_last_event_without_loss_or_repeat(
        self, stack_admin: AsyncClient, streamed_device: dict
    ) -> None:
        await back_up(stack_admin, streamed_device["id"])
        history = (
            await stack_admin.get(
                "/api/logs", params={"device_id": streamed_device["id"], "limit": 3}
            )
        ).json()["items"][::-1]
        resumed = await read_events(
            stack_admin,
            2,
            {"device_id": streamed_device["id"]},
            {"Last-Event-ID": str(history[0]["id"])},
        )
        assert [e["id"] for e in resumed] == [history[1]["id"], history[2]["id"]]


class TestStreamAuth:
    async def test_a_stream_token_in_the_url_opens_the_stream(
        self, stack_admin: AsyncClient, stack
    ) -> None:
        token = (await stack_admin.post("/api/logs/stream-token")).json()["token"]
        async with (
            AsyncClient(base_url=stack.api_url) as browser,
            browser.stream("GET", "/api/logs/stream", params={"token": token}) as response,
        ):
            assert response.status_code == 200

    async def test_a_full_access_token_is_refused_in_the_url(
        self, stack_admin: AsyncClient, stack
    ) -> None:
        access = stack_admin.headers["Authorization"].split()[1]
        async with AsyncClient(base_url=stack.api_url) as browser:
            assert (
                await browser.get("/api/logs/stream", params={"token": access})
            ).status_code == 401

    async def test_a_stream_token_is_not_an_access_token(
        self, stack_admin: AsyncClient, stack
    ) -> None:
        token = (await stack_admin.post("/api/logs/stream-token")).json()["token"]
        async with AsyncClient(base_url=stack.api_url) as browser:
            assert (
                await browser.get("/api/devices", headers={"Authorization": f"Bearer {token}"})
            ).status_code == 401
