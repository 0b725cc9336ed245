"""Other systems publish to the bus: a bare `JobRequested` naming a device must be backed up (the api
consumes it, starts a run and dispatches the device to a worker), a request naming an unknown device
must start nothing, and a malformed one must be rejected without harming the api."""

import asyncio
import json

import nats
import pytest
from httpx import AsyncClient

from netraven_lab.lab import Lab
from netraven_shared.events import subjects
from tests.e2e.runs import find_bus_run
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e


async def publish_raw(infra: Infra, payload: bytes) -> None:
    """What another system would do with nats-py: no NetRaven code involved."""
    connection = await nats.connect(infra.nats_url)
    try:
        await connection.jetstream().publish(subjects.JOB_REQUESTED, payload)
    finally:
        await connection.close()


async def known_run_ids(client: AsyncClient) -> set[str]:
    return {run["id"] for run in (await client.get("/api/runs", params={"limit": 500})).json()["items"]}


async def wait_for_log_line(stack: Stack, service: str, text: str, timeout: float = 30) -> None:
    for _ in range(int(timeout / 0.3)):
        if text in stack.log_of(service):
            return
        await asyncio.sleep(0.3)
    raise AssertionError(f"{service} never logged {text!r}")


@pytest.fixture(scope="module")
async def bus_device(stack_admin: AsyncClient, lab: Lab) -> dict:
    tag = unique("bus")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    profile = lab.profiles[2]
    return await create_device(stack_admin, profile.port, tag, hostname=profile.hostname)


class TestBusPublishedRequest:
    async def test_a_request_by_hostname_alone_is_backed_up(self, infra: Infra, stack_admin: AsyncClient, bus_device: dict) -> None:
        before = await known_run_ids(stack_admin)
        await publish_raw(infra, json.dumps({"hostname": bus_device["hostname"]}).encode())
        run = await find_bus_run(stack_admin, bus_device["id"], before)
        assert run["status"] == "succeeded", run
        assert len((await stack_admin.get(f"/api/devices/{bus_device['id']}/configs")).json()) == 1

    async def test_an_unknown_hostname_starts_no_run_and_is_rejected(self, infra: Infra, stack: Stack, stack_admin: AsyncClient) -> None:
        hostname = unique("no-such-device")
        before = await known_run_ids(stack_admin)
        await publish_raw(infra, json.dumps({"hostname": hostname}).encode())
        await wait_for_log_line(stack, "api", f"unknown device '{hostname}'")
        await asyncio.sleep(1)
        assert await known_run_ids(stack_admin) == before


class TestMalformedRequest:
    @pytest.mark.parametrize("payload", [b"{not json", b"{}", json.dumps({"device_id": "not-a-uuid"}).encode()])
    async def test_is_rejected_and_logged_and_the_api_keeps_working(
        self, infra: Infra, stack: Stack, stack_admin: AsyncClient, bus_device: dict, payload: bytes
    ) -> None:
        await publish_raw(infra, payload)
        before = await known_run_ids(stack_admin)
        await publish_raw(infra, json.dumps({"hostname": bus_device["hostname"]}).encode())
        run = await find_bus_run(stack_admin, bus_device["id"], before)
        assert run["status"] == "succeeded"
        assert stack.is_running("api")
        assert "message.rejected" in stack.log_of("api")
