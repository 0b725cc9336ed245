"""Delivery guarantees with real worker processes: a worker killed with -9 mid-session loses no
backup (JetStream hands its unacked requests to the other worker once the ack wait runs out), and a
session longer than the ack wait is not handed to anyone else (the worker keeps it in progress)."""

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient
from netraven_devstack.ports import free_port
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles

from tests.e2e.runs import wait_for
from tests.fixtures.factories import create_credential, create_device, create_job, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e
DEVICES = 4


@pytest.fixture
async def slow_lab() -> AsyncIterator[Lab]:
    """Devices that take a few seconds per session, so a worker can die in the middle of one."""
    profiles = make_lab_profiles(
        DEVICES, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE, delay=1.0
    )
    async with Lab(profiles) as lab:
        yield lab


async def wait_until_running(client: AsyncClient, run_id: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = (await client.get(f"/api/runs/{run_id}")).json()
        if any(r["status"] == "running" for r in run["results"]):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"no session started: {run}")


async def test_every_device_completes_after_a_worker_is_killed(
    stack: Stack, stack_admin: AsyncClient, slow_lab: Lab
) -> None:
    tag = unique("crash")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    devices = [await create_device(stack_admin, profile.port, tag) for profile in slow_lab.profiles]
    job = await create_job(stack_admin, [d["id"] for d in devices])

    first = stack.services.services["worker"].process
    port = free_port()
    doomed = stack.services.start_module(
        "worker-2",
        "netraven_worker",
        stack.env_for("worker")
        | {"NETRAVEN_HEALTH_PORT": str(port), "NETRAVEN_WORKER_ID": "worker-doomed"},
        f"http://127.0.0.1:{port}/health",
    )
    stack.services.wait_healthy()
    os.kill(first.pid, signal.SIGSTOP)  # only the doomed worker takes requests now
    try:
        run_id = (await stack_admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        await wait_until_running(stack_admin, run_id)
        doomed.process.kill()
        doomed.process.wait(timeout=10)
    finally:
        os.kill(first.pid, signal.SIGCONT)
        del stack.services.services["worker-2"]

    run = await wait_for(stack_admin, run_id, timeout=90)
    assert run["status"] == "succeeded", run
    assert max(r["attempts"] for r in run["results"]) >= 2, (
        "the killed worker's requests should have been delivered again"
    )


async def test_a_session_longer_than_the_ack_wait_is_delivered_once(
    stack: Stack, stack_admin: AsyncClient
) -> None:
    profile = make_lab_profiles(
        1, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE, delay=2.0
    )
    async with Lab(profile) as lab:
        tag = unique("slow")
        await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
        device = await create_device(stack_admin, lab.profiles[0].port, tag)
        job = await create_job(stack_admin, [device["id"]])
        started = time.monotonic()
        run = await wait_for(
            stack_admin,
            (await stack_admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"],
            timeout=90,
        )
    assert time.monotonic() - started > float(stack.env["NETRAVEN_ACK_WAIT_SECONDS"]), (
        "the session should outlast the ack wait"
    )
    assert run["status"] == "succeeded"
    assert run["results"][0]["attempts"] == 1
