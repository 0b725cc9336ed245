"""Run progress is announced on core NATS once committed; GET /api/runs/stream serves it live."""

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID

import nats
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from netraven_api.runs.recorder import record
from netraven_shared.db.models import Run
from netraven_shared.events import DeviceBackupStarted, RunProgressed

from tests.api.read_sse import read_events
from tests.fixtures.factories import create_device, create_run, unique
from tests.fixtures.infra import Infra


@pytest.fixture
async def announcements(infra: Infra, api_app: FastAPI) -> AsyncIterator[list[RunProgressed]]:
    heard: list[RunProgressed] = []
    connection = await nats.connect(**infra.nats_options())

    async def collect(message) -> None:
        heard.append(RunProgressed.model_validate_json(message.data))

    await connection.subscribe(RunProgressed.subject, cb=collect)
    await connection.flush()
    yield heard
    await connection.close()


async def announced(heard: list[RunProgressed], run_id: str, status: str) -> RunProgressed:
    async with asyncio.timeout(10):
        while True:
            found = [a for a in heard if str(a.run_id) == run_id and a.status == status]
            if found:
                return found[-1]
            await asyncio.sleep(0.05)


class TestAnnouncements:
    async def test_a_started_run_is_announced_with_its_counts(
        self,
        admin: AsyncClient,
        sessions,
        announcements,
    ) -> None:
        devices = [await create_device(admin, 22, unique("live")) for _ in range(2)]
        run_id = await create_run(sessions, [device["id"] for device in devices])

        progress = await announced(announcements, run_id, "queued")

        assert (progress.device_count, progress.succeeded_count, progress.failed_count) == (2, 0, 0)

    async def test_a_recorded_result_announces_the_run_running(
        self,
        admin: AsyncClient,
        sessions,
        announcements,
    ) -> None:
        device = await create_device(admin, 22, unique("live"))
        run_id = await create_run(sessions, [device["id"]])
        async with sessions() as session:
            await record(
                session,
                [
                    DeviceBackupStarted(
                        run_id=run_id,
                        device_id=device["id"],
                        hostname=device["hostname"],
                        worker_id="w1",
                        attempt=1,
                    )
                ],
            )
            await session.commit()

        progress = await announced(announcements, run_id, "running")

        assert progress.started_at is not None

    async def test_a_cancel_is_announced(
        self,
        admin: AsyncClient,
        operator: AsyncClient,
        sessions,
        announcements,
    ) -> None:
        device = await create_device(admin, 22, unique("live"))
        run_id = await create_run(sessions, [device["id"]])

        assert (await operator.post(f"/api/runs/{run_id}/cancel")).status_code == 200

        assert (await announced(announcements, run_id, "cancelled")).finished_at is not None

    async def test_a_rolled_back_change_is_not_announced(
        self,
        admin: AsyncClient,
        sessions,
        announcements,
    ) -> None:
        device = await create_device(admin, 22, unique("live"))
        run_id = await create_run(sessions, [device["id"]])
        await announced(announcements, run_id, "queued")
        async with sessions() as session:
            run = await session.get(Run, UUID(run_id))
            run.status = "failed"
            await session.flush()
            await session.rollback()
        # announced after anything the rollback could have sent
        marker = await create_run(sessions, [device["id"]])

        await announced(announcements, marker, "queued")

        assert [a.status for a in announcements if str(a.run_id) == run_id] == ["queued"]


class TestTheRunStream:
    async def test_a_browser_sees_a_run_progress_without_asking(
        self,
        api_app: FastAPI,
        admin: AsyncClient,
        viewer: AsyncClient,
        sessions,
    ) -> None:
        device = await create_device(admin, 22, unique("live"))
        token = (await viewer.post("/api/logs/stream-token")).json()["token"]
        opened = asyncio.Event()
        seen: set[str] = set()

        def enough(events: list[dict]) -> bool:
            return any(event["run_id"] in seen for event in events)

        reading = asyncio.create_task(
            read_events(api_app, "/api/runs/stream", {"token": token}, "run", enough, opened),
        )
        await asyncio.wait_for(opened.wait(), 10)
        seen.add(await create_run(sessions, [device["id"]]))

        events = await reading

        mine = [event for event in events if event["run_id"] in seen]
        assert mine[0]["status"] == "queued" and mine[0]["device_count"] == 1

    async def test_without_a_token_it_is_401(self, anonymous: AsyncClient) -> None:
        assert (await anonymous.get("/api/runs/stream")).status_code == 401

    async def test_every_stream_of_the_process_shares_one_subscription(
        self,
        api_app: FastAPI,
        admin: AsyncClient,
        viewer: AsyncClient,
        sessions,
    ) -> None:
        device = await create_device(admin, 22, unique("live"))
        token = (await viewer.post("/api/logs/stream-token")).json()["token"]
        run_ids: set[str] = set()
        openings = [asyncio.Event() for _ in range(3)]
        readers = [
            asyncio.create_task(
                read_events(
                    api_app,
                    "/api/runs/stream",
                    {"token": token},
                    "run",
                    lambda events: any(event["run_id"] in run_ids for event in events),
                    opened,
                )
            )
            for opened in openings
        ]
        await asyncio.wait_for(asyncio.gather(*(opened.wait() for opened in openings)), 10)
        assert api_app.state.run_broadcast.fanout.listeners == 3
        run_ids.add(await create_run(sessions, [device["id"]]))

        for events in await asyncio.gather(*readers):
            assert any(event["run_id"] in run_ids for event in events)
