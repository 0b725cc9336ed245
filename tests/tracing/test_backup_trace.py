"""One trace per device backup, across the services as separate processes: the API request (or the
scheduler's slot), the api's dispatch through the outbox, the worker's session, gitkeeper's
commit and the api's recording, each exported over OTLP to the test's receiver."""

import asyncio
import time
from collections.abc import Callable

import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_shared.events import subjects

from tests.e2e.runs import back_up, wait_for
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.fixtures.otlp_receiver import OtlpReceiver, ReceivedSpan
from tests.tracing.traces import (
    CONSUMER,
    SERVER,
    ancestors,
    named,
    orphans,
    roots,
    services_in,
    wait_for_trace,
)

pytestmark = pytest.mark.e2e

PIPELINE = {"netraven-api", "netraven-worker", "netraven-gitkeeper", "netraven-log-collector"}


@pytest.fixture(scope="module")
async def device(traced_admin: AsyncClient, lab: Lab) -> dict:
    tag = unique("traced")
    await create_credential(traced_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    return await create_device(traced_admin, lab.profiles[1].port, tag)


def through_the_pipeline(run_id: str) -> Callable[[list[ReceivedSpan]], bool]:
    """Complete once gitkeeper has committed, the api has recorded the collected and the stored
    config, and every span's parent has arrived."""

    def complete(trace: list[ReceivedSpan]) -> bool:
        recorded = {
            s.attributes.get("messaging.destination.name")
            for s in named(trace, "api.record")
            if s.attributes.get("netraven.run_id") == run_id
        }
        return (
            PIPELINE <= services_in(trace)
            and bool(named(trace, "gitkeeper.commit"))
            and {subjects.BACKUP_SUCCEEDED, subjects.CONFIG_STORED} <= recorded
            and len(roots(trace)) == 1
            and not orphans(trace)
        )

    return complete


async def session_trace(receiver: OtlpReceiver, run_id: str) -> list[ReceivedSpan]:
    return await wait_for_trace(
        receiver, "worker.backup", through_the_pipeline(run_id), **{"netraven.run_id": run_id}
    )


def assert_one_backup_traced(trace: list[ReceivedSpan], device: dict, run_id: str) -> None:
    """The session, the commit and the recording carry the ids, hang from the dispatch, and no
    attribute holds a secret."""
    ids = {"netraven.device_id": device["id"], "netraven.run_id": run_id}
    [session] = named(trace, "worker.backup")
    assert session.kind == CONSUMER
    assert session.attributes | ids == session.attributes, session.attributes
    assert session.attributes["netraven.platform"] == "cisco_ios"
    assert session.attributes["netraven.outcome"] == "backed_up"
    assert "api.dispatch" in [s.name for s in ancestors(trace, session)]
    [commit] = named(trace, "gitkeeper.commit")
    assert commit.attributes | ids == commit.attributes, commit.attributes
    assert ancestors(trace, commit)[0] == session
    stored = next(
        s
        for s in named(trace, "api.record")
        if s.attributes["messaging.destination.name"] == subjects.CONFIG_STORED
    )
    assert stored.attributes | ids == stored.attributes, stored.attributes
    assert commit in ancestors(trace, stored)
    values = [str(value) for span in trace for value in span.attributes.values()]
    assert not [v for v in values if LAB_PASSWORD in v or LAB_ENABLE in v or "\nhostname " in v]


async def wait_for_run_of(client: AsyncClient, job_id: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if items := (await client.get("/api/runs", params={"job_id": job_id})).json()["items"]:
            return items[0]["id"]
        await asyncio.sleep(0.2)
    raise AssertionError(f"the scheduler started no run of job {job_id}")


class TestABackupAskedOfTheApi:
    async def test_one_trace_runs_from_the_request_through_four_services(
        self, traced_admin: AsyncClient, receiver: OtlpReceiver, device: dict
    ) -> None:
        run = await back_up(traced_admin, device["id"])
        assert run["status"] == "succeeded", run

        trace = await session_trace(receiver, run["id"])

        assert len(services_in(trace) & PIPELINE) >= 4, services_in(trace)
        [root] = roots(trace)
        assert (root.service, root.kind) == ("netraven-api", SERVER)
        assert root.name.startswith("POST /api/jobs/") and root.name.endswith("/run"), root.name
        assert_one_backup_traced(trace, device, run["id"])


class TestAScheduledBackup:
    async def test_the_trace_starts_at_the_schedulers_slot(
        self, traced_admin: AsyncClient, receiver: OtlpReceiver, device: dict
    ) -> None:
        schedule = {"type": "interval", "seconds": 3600}
        body = {"name": unique("traced-slot"), "device_ids": [device["id"]], "schedule": schedule}
        job = (await traced_admin.post("/api/jobs", json=body)).json()
        try:
            run_id = await wait_for_run_of(traced_admin, job["id"])
            run = await wait_for(traced_admin, run_id)
        finally:
            await traced_admin.delete(f"/api/jobs/{job['id']}")
        assert run["status"] == "succeeded", run

        trace = await session_trace(receiver, run_id)

        [root] = roots(trace)
        assert (root.service, root.name) == ("netraven-scheduler", "scheduler.slot")
        assert root.attributes["netraven.job_id"] == job["id"]
        assert_one_backup_traced(trace, device, run_id)
