"""kill -9 of the api or the scheduler right after a run is committed loses nothing: the run's
dispatches were committed with it, in the outbox, and the restarted api relays whatever was left,
so every device finishes within 60 s of the service being back (not at the reconciler's deadline).

Real processes on a NATS and a database of the suite's own (`fault_stack`), 50 simulated devices.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from sqlalchemy.engine import make_url

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
    profiles = make_lab_profiles(
        DEVICES, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE
    )
    async with Lab(profiles) as lab:
        yield lab


@pytest.fixture(scope="module")
async def lab_device_ids(fault_admin: AsyncClient, big_lab: Lab) -> list[str]:
    tag = unique("faults")
    await create_credential(fault_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    return [
        (await create_device(fault_admin, profile.port, tag))["id"] for profile in big_lab.profiles
    ]


def kill(stack: Stack, name: str) -> None:
    doomed = stack.services.services[name].process
    doomed.kill()
    doomed.wait(timeout=10)


def restart(stack: Stack, name: str) -> None:
    """Start it again as the stack started it: same command, identity and port, so clients
    reconnect."""
    stack.services.restart(name, restarts=1)
    stack.services.wait_healthy()


async def count(infra: Infra, query: str, *args: object) -> int:
    url = make_url(infra.database_url)
    connection = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        return await connection.fetchval(query, *args)
    finally:
        await connection.close()


async def wait_for_run_of(client: AsyncClient, job_id: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if items := (await client.get("/api/runs", params={"job_id": job_id})).json()["items"]:
            return items[0]["id"]
        await asyncio.sleep(0.1)
    raise AssertionError(f"the scheduler started no run of job {job_id}")


def assert_every_device_backed_up(run: dict, devices: int = DEVICES) -> None:
    assert run["status"] == "succeeded", {
        r["hostname"]: (r["status"], r["error"])
        for r in run["results"]
        if r["status"] != "succeeded"
    }
    assert len(run["results"]) == devices


async def test_killing_the_api_right_after_run_now_loses_no_device(
    fault_stack: Stack,
    fault_admin: AsyncClient,
    fault_infra: Infra,
    lab_device_ids: list[str],
) -> None:
    job = (
        await fault_admin.post(
            "/api/jobs", json={"name": unique("run-now-kill"), "device_ids": lab_device_ids}
        )
    ).json()
    accepted = await fault_admin.post(f"/api/jobs/{job['id']}/run")
    assert accepted.status_code == 202, accepted.text
    kill(fault_stack, "api")
    print(
        "outbox rows left when the api died: "
        f"{await count(fault_infra, 'SELECT count(*) FROM outbox')}"
    )

    restart(fault_stack, "api")
    back = time.monotonic()
    run = await wait_for(fault_admin, accepted.json()["run_id"], timeout=BACK_WITHIN_SECONDS)
    print(f"run finished {time.monotonic() - back:.1f} s after the api was healthy again")
    assert_every_device_backed_up(run)


async def test_killing_the_scheduler_right_after_its_run_appears_loses_no_device(
    fault_stack: Stack,
    fault_admin: AsyncClient,
    lab_device_ids: list[str],
) -> None:
    schedule = {"type": "interval", "seconds": 3600}
    job = (
        await fault_admin.post(
            "/api/jobs",
            json={"name": unique("slot-kill"), "device_ids": lab_device_ids, "schedule": schedule},
        )
    ).json()
    try:
        run_id = await wait_for_run_of(fault_admin, job["id"])
        kill(fault_stack, "scheduler")
        restart(fault_stack, "scheduler")
        run = await wait_for(fault_admin, run_id, timeout=BACK_WITHIN_SECONDS)
        await asyncio.sleep(2)  # a couple of ticks of the restarted scheduler
        runs = (await fault_admin.get("/api/runs", params={"job_id": job["id"]})).json()["items"]
    finally:
        await fault_admin.delete(f"/api/jobs/{job['id']}")
    assert_every_device_backed_up(run)
    assert [r["id"] for r in runs] == [run_id], "one slot, one run"


async def test_a_slot_due_while_the_api_is_down_starts_once_the_api_is_back(
    fault_stack: Stack,
    fault_admin: AsyncClient,
    fault_infra: Infra,
    lab_device_ids: list[str],
) -> None:
    start_at = datetime.now(UTC) + timedelta(seconds=3)
    schedule = {"type": "interval", "seconds": 3600, "start_at": start_at.isoformat()}
    body = {"name": unique("slot-api-down"), "device_ids": lab_device_ids[:5], "schedule": schedule}
    job = (await fault_admin.post("/api/jobs", json=body)).json()
    kill(fault_stack, "api")
    try:
        await asyncio.sleep((start_at - datetime.now(UTC)).total_seconds() + 3)
        assert "scheduler.api_unreachable" in fault_stack.log_of("scheduler")
        assert (
            await count(fault_infra, "SELECT count(*) FROM runs WHERE job_id = $1", job["id"]) == 0
        )
    finally:
        restart(fault_stack, "api")
    try:
        run = await wait_for(
            fault_admin, await wait_for_run_of(fault_admin, job["id"]), timeout=BACK_WITHIN_SECONDS
        )
    finally:
        await fault_admin.delete(f"/api/jobs/{job['id']}")
    assert_every_device_backed_up(run, devices=5)
