"""kill -9 of the api or the scheduler right after a run is committed loses nothing: the run's
dispatches were committed with it, in the outbox, and the restarted api relays whatever was left,
so every device finishes within 60 s of the service being back (not at the reconciler's deadline).

Real processes on the real NATS and PostgreSQL (the shared `stack`), ~50 simulated devices.
"""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from collections.abc import AsyncIterator, Iterator
from uuid import UUID

import asyncpg
import pytest
from httpx import AsyncClient
from sqlalchemy.engine import make_url

from netraven_devstack.ports import free_port
from netraven_devstack.service_set import RunningService
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from tests.e2e.runs import wait_for
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e
DEVICES = 50
BACK_WITHIN_SECONDS = 60


@pytest.fixture(scope="module")
async def big_lab() -> AsyncIterator[Lab]:
    profiles = make_lab_profiles(DEVICES, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE)
    async with Lab(profiles) as lab:
        yield lab


@pytest.fixture(scope="module")
async def lab_device_ids(stack_admin: AsyncClient, big_lab: Lab) -> list[str]:
    tag = unique("faults")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    return [(await create_device(stack_admin, profile.port, tag))["id"] for profile in big_lab.profiles]


def kill_and_restart(stack: Stack, name: str, env: dict[str, str], port: int) -> RunningService:
    doomed = stack.services.services[name].process
    doomed.kill()
    doomed.wait(timeout=10)
    restarted = stack.services.start_service(name, env, port)
    stack.services.wait_healthy()
    return restarted


async def outbox_rows(infra: Infra) -> int:
    url = make_url(infra.database_url)
    connection = await asyncpg.connect(host=url.host, port=url.port, user=url.username, password=url.password, database=url.database)
    try:
        return await connection.fetchval("SELECT count(*) FROM outbox")
    finally:
        await connection.close()


def assert_every_device_backed_up(run: dict) -> None:
    assert run["status"] == "succeeded", {r["hostname"]: (r["status"], r["error"]) for r in run["results"] if r["status"] != "succeeded"}
    assert len(run["results"]) == DEVICES


async def test_killing_the_api_right_after_run_now_loses_no_device(
    stack: Stack, stack_admin: AsyncClient, infra: Infra, lab_device_ids: list[str],
) -> None:
    job = (await stack_admin.post("/api/jobs", json={"name": unique("run-now-kill"), "device_ids": lab_device_ids})).json()
    accepted = await stack_admin.post(f"/api/jobs/{job['id']}/run")
    assert accepted.status_code == 202, accepted.text
    stack.services.services["api"].process.kill()
    print(f"outbox rows left when the api died: {await outbox_rows(infra)}")

    kill_and_restart(stack, "api", stack.env, int(stack.api_url.rsplit(":", 1)[1]))
    back = time.monotonic()
    run = await wait_for(stack_admin, accepted.json()["run_id"], timeout=BACK_WITHIN_SECONDS)
    print(f"run finished {time.monotonic() - back:.1f} s after the api was healthy again")
    assert_every_device_backed_up(run)


@pytest.fixture
def ticking_scheduler(stack: Stack) -> Iterator[tuple[dict[str, str], int]]:
    """The stack's scheduler ticks once an hour (tests/scheduler moves its own clocks); this one ticks
    every second, and the hourly one is put back afterwards."""
    env, port = stack.env | {"NETRAVEN_TICK_SECONDS": "1"}, free_port()
    kill_and_restart(stack, "scheduler", env, port)
    yield env, port
    kill_and_restart(stack, "scheduler", stack.env, free_port())


async def wait_for_run_of(client: AsyncClient, job_id: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if items := (await client.get("/api/runs", params={"job_id": job_id})).json()["items"]:
            return items[0]["id"]
        await asyncio.sleep(0.1)
    raise AssertionError(f"the scheduler started no run of job {job_id}")


async def test_killing_the_scheduler_right_after_its_run_appears_loses_no_device(
    stack: Stack, stack_admin: AsyncClient, lab_device_ids: list[str], ticking_scheduler: tuple[dict[str, str], int],
) -> None:
    schedule = {"type": "interval", "seconds": 3600}
    job = (await stack_admin.post("/api/jobs", json={"name": unique("slot-kill"), "device_ids": lab_device_ids, "schedule": schedule})).json()
    try:
        run_id = await wait_for_run_of(stack_admin, job["id"])
        env, port = ticking_scheduler
        kill_and_restart(stack, "scheduler", env, port)
        run = await wait_for(stack_admin, run_id, timeout=BACK_WITHIN_SECONDS)
        await asyncio.sleep(2)  # a couple of ticks of the restarted scheduler
        runs = (await stack_admin.get("/api/runs", params={"job_id": job["id"]})).json()["items"]
    finally:
        await stack_admin.delete(f"/api/jobs/{job['id']}")
    assert_every_device_backed_up(run)
    assert [r["id"] for r in runs] == [run_id], "one slot, one run"


async def runs_in_database(infra: Infra, job_id: str) -> int:
    url = make_url(infra.database_url)
    connection = await asyncpg.connect(host=url.host, port=url.port, user=url.username, password=url.password, database=url.database)
    try:
        return await connection.fetchval("SELECT count(*) FROM runs WHERE job_id = $1", UUID(job_id))
    finally:
        await connection.close()


async def test_a_slot_due_while_the_api_is_down_starts_once_the_api_is_back(
    stack: Stack, stack_admin: AsyncClient, infra: Infra, lab_device_ids: list[str], ticking_scheduler: tuple[dict[str, str], int],
) -> None:
    start_at = datetime.now(UTC) + timedelta(seconds=3)
    schedule = {"type": "interval", "seconds": 3600, "start_at": start_at.isoformat()}
    job = (await stack_admin.post("/api/jobs", json={"name": unique("slot-api-down"), "device_ids": lab_device_ids[:5], "schedule": schedule})).json()
    api = stack.services.services["api"].process
    api.kill()
    api.wait(timeout=10)
    try:
        await asyncio.sleep((start_at - datetime.now(UTC)).total_seconds() + 3)
        assert "scheduler.api_unreachable" in stack.log_of("scheduler")
        assert await runs_in_database(infra, job["id"]) == 0
    finally:
        stack.services.start_service("api", stack.env, int(stack.api_url.rsplit(":", 1)[1]))
        stack.services.wait_healthy()
    try:
        run = await wait_for(stack_admin, await wait_for_run_of(stack_admin, job["id"]), timeout=BACK_WITHIN_SECONDS)
    finally:
        await stack_admin.delete(f"/api/jobs/{job['id']}")
    assert run["status"] == "succeeded" and len(run["results"]) == 5, run
