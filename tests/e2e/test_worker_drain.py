"""SIGTERM drains a real worker process: no new requests, sessions in flight finish within the
bound or are handed back to another worker; the process exits 0. And `python -m netraven_worker`
with several processes: each heartbeats, and SIGTERM stops them all."""

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import pytest
from httpx import AsyncClient
from netraven_devstack.ports import free_port
from netraven_devstack.service_set import RunningService
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles

from tests.e2e.runs import wait_for
from tests.e2e.test_worker_crash import wait_until_running
from tests.fixtures.factories import create_credential, create_device, create_job, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e


@pytest.fixture
async def slow_lab() -> AsyncIterator[Lab]:
    """Two devices that answer each command after 1.5 s: a session takes several seconds."""
    profiles = make_lab_profiles(
        2, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE, delay=1.5
    )
    async with Lab(profiles) as lab:
        yield lab


def start_worker(stack: Stack, name: str, **env: str) -> RunningService:
    port = free_port()
    extra = {"NETRAVEN_HEALTH_PORT": str(port), "NETRAVEN_WORKER_ID": unique(name)} | env
    worker = stack.services.start_module(
        name, "netraven_worker", stack.env_for("worker") | extra, f"http://127.0.0.1:{port}/health"
    )
    stack.services.wait_healthy()
    return worker


@contextmanager
def only(stack: Stack, worker: RunningService) -> Iterator[None]:
    """The stack's own worker is paused: requests go to `worker` alone until the block ends."""
    main = stack.services.services["worker"].process
    os.kill(main.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(main.pid, signal.SIGCONT)
        stack.services.services.pop(worker.name, None)


async def run_of(client: AsyncClient, device: dict) -> str:
    job = await create_job(client, [device["id"]])
    return (await client.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]


async def exit_code(worker: RunningService, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while (code := worker.process.poll()) is None:
        assert time.monotonic() < deadline, (
            f"{worker.name} still running {timeout} s after SIGTERM:\n{worker.log_tail()}"
        )
        await asyncio.sleep(0.2)
    return code


async def devices_on(client: AsyncClient, lab: Lab) -> list[dict]:
    tag = unique("drain")
    await create_credential(client, tag, LAB_PASSWORD, LAB_ENABLE)
    return [await create_device(client, profile.port, tag) for profile in lab.profiles]


class TestDrain:
    async def test_a_session_in_flight_finishes_and_nothing_new_starts(
        self, stack: Stack, stack_admin: AsyncClient, slow_lab: Lab
    ) -> None:
        first, second = await devices_on(stack_admin, slow_lab)
        draining = start_worker(stack, "worker-draining", NETRAVEN_DRAIN_SECONDS="60")
        with only(stack, draining):
            in_flight = await run_of(stack_admin, first)
            await wait_until_running(stack_admin, in_flight)
            draining.process.send_signal(signal.SIGTERM)
            await asyncio.sleep(1)
            not_taken = await run_of(stack_admin, second)
            assert await exit_code(draining, timeout=60) == 0
            log = draining.log_path.read_text()
        finished = await wait_for(stack_admin, in_flight)
        assert finished["status"] == "succeeded", finished
        assert "worker.drained" in log and f'"run_id": "{in_flight}"' in log, (
            "the draining worker finishes its session"
        )
        assert "worker.handed_back" not in log, "nothing was handed back"
        # A redelivery after a late ack (a loaded machine) reaches another worker, which finds the
        # result settled and skips it: it never starts a second session.
        elsewhere = [line for line in stack.log_of("worker").splitlines() if in_flight in line]
        assert all("backup.skipped_settled" in line for line in elsewhere), elsewhere
        assert not_taken not in log, "a draining worker must not start new requests"
        assert (await wait_for(stack_admin, not_taken, timeout=90))["status"] == "succeeded"

    async def test_a_session_past_the_bound_is_handed_back_to_another_worker(
        self, stack: Stack, stack_admin: AsyncClient, slow_lab: Lab
    ) -> None:
        device, _ = await devices_on(stack_admin, slow_lab)
        draining = start_worker(stack, "worker-cut-short", NETRAVEN_DRAIN_SECONDS="1")
        with only(stack, draining):
            run_id = await run_of(stack_admin, device)
            await wait_until_running(stack_admin, run_id)
            draining.process.send_signal(signal.SIGTERM)
            assert await exit_code(draining, timeout=30) == 0
            log = draining.log_path.read_text()
        assert "worker.handed_back" in log, log[-3000:]
        assert "backup.collected" not in log, (
            "with a 1 s bound the worker must not wait for the whole session"
        )
        assert "CancelledError" not in log, "a hand-back is not an error"
        run = await wait_for(stack_admin, run_id, timeout=90)
        assert run["status"] == "succeeded", run
        assert run["results"][0]["attempts"] >= 2, (
            "the handed-back request should have been delivered again"
        )


class TestSupervisor:
    async def test_processes_heartbeat_and_all_exit_on_sigterm(
        self, stack: Stack, stack_admin: AsyncClient
    ) -> None:
        worker_id = unique("multi")
        supervisor = start_worker(
            stack,
            "worker-multi",
            NETRAVEN_WORKER_PROCESSES="2",
            NETRAVEN_WORKER_ID=worker_id,
            NETRAVEN_HEARTBEAT_SECONDS="1",
        )
        try:
            deadline = time.monotonic() + 30
            while (
                len(
                    mine := [
                        w
                        for w in (await stack_admin.get("/api/workers")).json()["items"]
                        if w["worker_id"].startswith(worker_id)
                    ]
                )
                < 2
            ):
                assert time.monotonic() < deadline, f"expected two heartbeats: {mine}"
                await asyncio.sleep(0.5)
            assert [w["worker_id"] for w in mine] == [f"{worker_id}-1", f"{worker_id}-2"]
            pids = {w["pid"] for w in mine}
            assert len(pids) == 2 and supervisor.process.pid not in pids
            assert all(w["capacity"] == 4 for w in mine)
            supervisor.process.send_signal(signal.SIGTERM)
            assert await exit_code(supervisor, timeout=40) == 0
        finally:
            stack.services.services.pop(supervisor.name, None)
        for pid in pids:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        items = (await stack_admin.get("/api/workers")).json()["items"]
        assert not [w for w in items if w["worker_id"].startswith(worker_id)], (
            "stopped workers remove their heartbeat"
        )
