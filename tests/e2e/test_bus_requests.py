"""Other systems publish to the bus: a bare `JobRequested` naming a device must be backed up (the
api consumes it, starts a run and dispatches the device to a worker), a request naming an unknown
device must start nothing, and a malformed one must be rejected without harming the api."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import nats
import pytest
from httpx import AsyncClient
from netraven_api.runs.bus_requests import CONSUMER as BUS_REQUESTS_CONSUMER
from netraven_lab.lab import Lab
from netraven_shared.events import subjects
from netraven_shared.messaging import stream_of

from tests.e2e.runs import find_bus_run
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e


async def publish_raw(infra: Infra, payload: bytes) -> int:
    """What another system would do with nats-py: no NetRaven code involved. Returns the stream
    sequence."""
    connection = await nats.connect(**infra.nats_options())
    try:
        return (await connection.jetstream().publish(subjects.JOB_REQUESTED, payload)).seq
    finally:
        await connection.close()


async def wait_until_delivered(infra: Infra, sequence: int, timeout: float = 30) -> None:
    """Until the api's consumer has handed out the message (to whichever api instance: the test
    session may run one in-process beside the stack's)."""
    connection = await nats.connect(**infra.nats_options())
    try:
        for _ in range(int(timeout / 0.2)):
            info = await connection.jetstream().consumer_info(
                stream_of(subjects.JOB_REQUESTED), BUS_REQUESTS_CONSUMER
            )
            if info.delivered.stream_seq >= sequence:
                return
            await asyncio.sleep(0.2)
    finally:
        await connection.close()
    raise AssertionError(f"message {sequence} was never delivered to {BUS_REQUESTS_CONSUMER}")


@asynccontextmanager
async def terminations(infra: Infra) -> AsyncIterator[list[int]]:
    """The stream sequences JetStream reports terminated (rejected for good) by the api's
    consumer."""
    connection = await nats.connect(**infra.nats_options())
    terminated: list[int] = []

    async def keep(message) -> None:
        terminated.append(json.loads(message.data)["stream_seq"])

    await connection.subscribe(
        f"$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.{stream_of(subjects.JOB_REQUESTED)}.{BUS_REQUESTS_CONSUMER}",
        cb=keep,
    )
    try:
        yield terminated
    finally:
        await connection.close()


async def known_run_ids(client: AsyncClient) -> set[str]:
    return {
        run["id"] for run in (await client.get("/api/runs", params={"limit": 500})).json()["items"]
    }


@pytest.fixture(scope="module")
async def bus_device(stack_admin: AsyncClient, lab: Lab) -> dict:
    tag = unique("bus")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    profile = lab.profiles[2]
    return await create_device(stack_admin, profile.port, tag, hostname=profile.hostname)


class TestBusPublishedRequest:
    async def test_a_request_by_hostname_alone_is_backed_up(
        self, infra: Infra, stack_admin: AsyncClient, bus_device: dict
    ) -> None:
        before = await known_run_ids(stack_admin)
        await publish_raw(infra, json.dumps({"hostname": bus_device["hostname"]}).encode())
        run = await find_bus_run(stack_admin, bus_device["id"], before)
        assert run["status"] == "succeeded", run
        assert len((await stack_admin.get(f"/api/devices/{bus_device['id']}/configs")).json()) == 1

    async def test_an_unknown_hostname_starts_no_run(
        self, infra: Infra, stack_admin: AsyncClient
    ) -> None:
        before = await known_run_ids(stack_admin)
        await wait_until_delivered(
            infra,
            await publish_raw(infra, json.dumps({"hostname": unique("no-such-device")}).encode()),
        )
        await asyncio.sleep(1)
        assert await known_run_ids(stack_admin) == before


class TestMalformedRequest:
    @pytest.mark.parametrize(
        "payload", [b"{not json", b"{}", json.dumps({"device_id": "not-a-uuid"}).encode()]
    )
    async def test_is_rejected_and_the_api_keeps_working(
        self, infra: Infra, stack: Stack, stack_admin: AsyncClient, bus_device: dict, payload: bytes
    ) -> None:
        async with terminations(infra) as terminated:
            malformed = await publish_raw(infra, payload)
            await wait_until_delivered(infra, malformed)
            for _ in range(50):
                if malformed in terminated:
                    break
                await asyncio.sleep(0.1)
        assert malformed in terminated, "rejected for good, not redelivered"
        before = await known_run_ids(stack_admin)
        await publish_raw(infra, json.dumps({"hostname": bus_device["hostname"]}).encode())
        run = await find_bus_run(stack_admin, bus_device["id"], before)
        assert run["status"] == "succeeded"
        assert stack.is_running("api")
