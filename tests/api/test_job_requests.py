"""A `JobRequested` from another system: the api trusts only the device it names, looked up in
PostgreSQL, and starts one run per request however often it is delivered."""

import uuid
from uuid import UUID

import pytest
from httpx import AsyncClient
from netraven_api.runs.bus_requests import start_requested_run
from netraven_shared.db.models import Run
from netraven_shared.events import JobRequested
from netraven_shared.rejection import Rejected
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_device, create_job, unique


async def start(
    sessions: async_sessionmaker[AsyncSession], request: JobRequested, origin: str
) -> UUID | None:
    async with sessions() as session:
        run_id = await start_requested_run(session, request, origin)
        await session.commit()
    return run_id


class TestStartRequestedRun:
    async def test_a_hostname_starts_a_bus_run_with_its_dispatch_and_a_redelivery_starts_none(
        self, admin: AsyncClient, sessions
    ) -> None:
        device = await create_device(admin, 3300, "bus-request")
        request = JobRequested(hostname=device["hostname"], kind="reachability")
        origin = unique("msg")
        run_id = await start(sessions, request, origin)
        assert await start(sessions, request, origin) is None
        run = (await admin.get(f"/api/runs/{run_id}")).json()
        assert (run["trigger"], run["kind"], [r["device_id"] for r in run["results"]]) == (
            "bus",
            "reachability",
            [device["id"]],
        )

    async def test_a_request_naming_a_run_is_refused_and_the_run_is_left_as_it_was(
        self, admin: AsyncClient, sessions
    ) -> None:
        first, second = [await create_device(admin, 3400 + n, "bus-request") for n in range(2)]
        job = await create_job(admin, [first["id"]])
        run_id = UUID((await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"])
        with pytest.raises(Rejected, match="may not name a run"):
            await start(
                sessions, JobRequested(run_id=run_id, device_id=UUID(second["id"])), unique("msg")
            )
        run = (await admin.get(f"/api/runs/{run_id}")).json()
        assert [r["device_id"] for r in run["results"]] == [first["id"]]

    @pytest.mark.parametrize("names", ["device", "job"])
    async def test_an_unknown_id_is_rejected_with_a_reason_and_starts_nothing(
        self, admin: AsyncClient, sessions, names: str
    ) -> None:
        device = await create_device(admin, 3500, "bus-request")
        missing = uuid.uuid4()
        fields = {"device": {"device_id": missing}, "job": {"job_id": missing}}[names]
        request = JobRequested(**({"device_id": UUID(device["id"])} | fields))
        async with sessions() as session:
            runs_before = await session.scalar(select(func.count()).select_from(Run))
        with pytest.raises(Rejected, match=f"unknown {names}"):
            await start(sessions, request, unique("msg"))
        async with sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Run)) == runs_before

    async def test_an_unknown_hostname_is_rejected_without_repeating_it(self, sessions) -> None:
        hostname = unique("nowhere")
        with pytest.raises(Rejected, match="unknown device with the hostname it names") as refused:
            await start(sessions, JobRequested(hostname=hostname), unique("msg"))
        assert hostname not in refused.value.reason
