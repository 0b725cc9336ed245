"""Poll the api until a run finishes (the only waiting the end-to-end tests do)."""

import asyncio
import time

from httpx import AsyncClient

from tests.fixtures.factories import create_job

FINISHED = {"succeeded", "failed", "partial"}


async def wait_for(client: AsyncClient, run_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = (await client.get(f"/api/runs/{run_id}")).json()
        if run["status"] in FINISHED:
            return run
        await asyncio.sleep(0.3)
    raise AssertionError(f"run {run_id} still {run['status']} after {timeout} s: {run}")


async def run_job(client: AsyncClient, job_id: str) -> dict:
    accepted = await client.post(f"/api/jobs/{job_id}/run")
    assert accepted.status_code == 202, accepted.text
    return await wait_for(client, accepted.json()["run_id"])


async def back_up(client: AsyncClient, device_id: str) -> dict:
    job = await create_job(client, [device_id])
    return await run_job(client, job["id"])


async def find_bus_run(
    client: AsyncClient, device_id: str | None, known: set[str], timeout: float = 60
) -> dict:
    """The first finished run triggered from the bus that is not in `known` (and covers the
    device)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for summary in (await client.get("/api/runs", params={"limit": 100})).json()["items"]:
            if (
                summary["trigger"] != "bus"
                or summary["id"] in known
                or summary["status"] not in FINISHED
            ):
                continue
            run = (await client.get(f"/api/runs/{summary['id']}")).json()
            if device_id is None or any(r["device_id"] == device_id for r in run["results"]):
                return run
        await asyncio.sleep(0.3)
    raise AssertionError("no finished bus-triggered run appeared")


async def wait_for_logs(
    client: AsyncClient, params: dict, predicate, timeout: float = 30
) -> list[dict]:
    """Logs travel on their own stream: they may land a moment after the run finishes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = (await client.get("/api/logs", params=params)).json()["items"]
        if predicate(items):
            return items
        await asyncio.sleep(0.3)
    raise AssertionError(f"no log entries matching the expectation for {params}: {items}")
