from uuid import UUID

from httpx import AsyncClient
from netraven_api.runs.recorder import record
from netraven_shared.db.models import ResultStatus, RunResult
from netraven_shared.events import DeviceBackupStarted
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_device, create_job, unique


class TestCreateJob:
    async def test_job_without_targets_is_422_with_a_reason(self, admin: AsyncClient) -> None:
        response = await admin.post("/api/jobs", json={"name": unique("job")})
        assert response.status_code == 422
        assert "needs targets" in response.text

    async def test_unknown_device_ids_are_named(self, admin: AsyncClient) -> None:
        missing = "00000000-0000-0000-0000-00000000abcd"
        response = await admin.post(
            "/api/jobs", json={"name": unique("job"), "device_ids": [missing]}
        )
        assert response.status_code == 422
        assert response.json()["detail"] == [missing]

    async def test_interval_below_a_minute_is_refused(self, admin: AsyncClient) -> None:
        response = await admin.post(
            "/api/jobs",
            json={
                "name": unique("job"),
                "tags": ["x"],
                "schedule": {"type": "interval", "seconds": 5},
            },
        )
        assert response.status_code == 422

    async def test_manual_job_is_created(self, admin: AsyncClient) -> None:
        device = await create_device(admin, 2300, "jobs")
        job = await create_job(admin, [device["id"]])
        assert job["schedule"] == {"type": "manual"}
        assert job["device_ids"] == [device["id"]]


class TestRunNow:
    async def test_run_is_recorded_queued_with_one_result_per_device(
        self, admin: AsyncClient
    ) -> None:
        devices = [await create_device(admin, 2400 + n, "runnow") for n in range(2)]
        job = await create_job(admin, [d["id"] for d in devices])
        accepted = await admin.post(f"/api/jobs/{job['id']}/run")
        assert accepted.status_code == 202
        run = (await admin.get(f"/api/runs/{accepted.json()['run_id']}")).json()
        assert run["job_id"] == job["id"]
        assert run["trigger"] == "manual"
        assert {r["device_id"] for r in run["results"]} == {d["id"] for d in devices}

    async def test_unknown_job_is_404(self, admin: AsyncClient) -> None:
        response = await admin.post("/api/jobs/00000000-0000-0000-0000-000000000000/run")
        assert response.status_code == 404


class TestHealthAndErrors:
    async def test_health_reports_database_and_nats(self, anonymous: AsyncClient) -> None:
        response = await anonymous.get("/api/health")
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "checks": {"database": "ok", "nats": "ok", "consumers": "ok"},
        }

    async def test_logs_filter_values_are_checked(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/logs", params={"level": "loud", "cursor": "abc"})
        assert response.status_code == 422
        assert {p["field"] for p in response.json()["detail"]} == {"query.level", "query.cursor"}

    async def test_log_cursor_past_a_bigint_is_422_not_500(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/logs", params={"cursor": "9" * 19})
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "query.cursor"

    async def test_last_event_id_past_a_bigint_is_422_before_the_stream_opens(
        self, admin: AsyncClient
    ) -> None:
        response = await admin.get("/api/logs/stream", headers={"Last-Event-ID": "9" * 19})
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "header.last-event-id"

    async def test_runs_offset_past_a_bigint_is_422_not_500(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/runs", params={"offset": 2**70})
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "query.offset"

    async def test_unknown_route_is_json_404(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/nothing-here")
        assert response.status_code == 404
        assert response.json()["error"]


class TestDeleteJob:
    async def test_the_job_goes_and_its_runs_stay_without_it(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        job = await create_job(admin, [(await create_device(admin, 2600, "delete"))["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        response = await operator.delete(f"/api/jobs/{job['id']}")
        assert response.status_code == 204
        assert (await admin.get(f"/api/jobs/{job['id']}")).status_code == 404
        run = (await admin.get(f"/api/runs/{run_id}")).json()
        assert (run["job_id"], run["job_name"]) == (None, None)

    async def test_unknown_job_is_404(self, admin: AsyncClient) -> None:
        assert (
            await admin.delete("/api/jobs/00000000-0000-0000-0000-000000000000")
        ).status_code == 404


class TestCancelRun:
    async def queued_run(self, admin: AsyncClient, devices: int = 2) -> str:
        device_ids = [
            (await create_device(admin, 2700 + n, "cancel"))["id"] for n in range(devices)
        ]
        job = await create_job(admin, device_ids)
        return (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]

    async def test_a_queued_run_and_its_results_are_cancelled(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        run_id = await self.queued_run(admin)
        response = await operator.post(f"/api/runs/{run_id}/cancel")
        assert response.status_code == 200, response.text
        run = (await admin.get(f"/api/runs/{run_id}")).json()
        assert run["status"] == "cancelled"
        assert run["finished_at"]
        assert {(r["status"], r["error"]) for r in run["results"]} == {
            ("cancelled", "cancelled by operator")
        }

    async def test_cancelled_runs_can_be_listed(self, admin: AsyncClient) -> None:
        run_id = await self.queued_run(admin, devices=1)
        await admin.post(f"/api/runs/{run_id}/cancel")
        listed = (await admin.get("/api/runs", params={"status": "cancelled", "limit": 500})).json()
        assert run_id in {r["id"] for r in listed["items"]}

    async def test_cancelling_twice_is_409(self, admin: AsyncClient) -> None:
        run_id = await self.queued_run(admin, devices=1)
        await admin.post(f"/api/runs/{run_id}/cancel")
        response = await admin.post(f"/api/runs/{run_id}/cancel")
        assert response.status_code == 409
        assert "already cancelled" in response.json()["error"]

    async def test_a_run_that_started_is_409(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        run_id = await self.queued_run(admin)
        async with sessions() as session:
            result = await session.scalar(
                select(RunResult).where(RunResult.run_id == UUID(run_id)).limit(1)
            )
            result.status = ResultStatus.RUNNING
            await session.commit()
        response = await admin.post(f"/api/runs/{run_id}/cancel")
        assert response.status_code == 409
        assert "already started" in response.json()["error"]
        assert {
            r["status"] for r in (await admin.get(f"/api/runs/{run_id}")).json()["results"]
        } == {"queued", "running"}

    async def test_a_late_start_event_does_not_reopen_a_cancelled_result(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        run_id = await self.queued_run(admin, devices=1)
        await admin.post(f"/api/runs/{run_id}/cancel")
        run = (await admin.get(f"/api/runs/{run_id}")).json()
        started = DeviceBackupStarted(
            run_id=UUID(run_id),
            job_id=UUID(run["job_id"]),
            device_id=UUID(run["results"][0]["device_id"]),
            hostname=run["results"][0]["hostname"],
            worker_id="w1",
            attempt=1,
        )
        async with sessions() as session:
            await record(session, [started])
            await session.commit()
        after = (await admin.get(f"/api/runs/{run_id}")).json()
        assert (after["status"], after["results"][0]["status"]) == ("cancelled", "cancelled")

    async def test_unknown_run_is_404(self, admin: AsyncClient) -> None:
        assert (
            await admin.post("/api/runs/00000000-0000-0000-0000-000000000000/cancel")
        ).status_code == 404


class TestStatusSummary:
    async def test_runs_in_the_window_are_counted_by_status(self, admin: AsyncClient) -> None:
        device = await create_device(admin, 2460, "summary")
        job = await create_job(admin, [device["id"]])
        before = (await admin.get("/api/jobs/status")).json()

        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        queued = (await admin.get("/api/jobs/status")).json()
        assert (await admin.post(f"/api/runs/{run_id}/cancel")).status_code == 200
        cancelled = (await admin.get("/api/jobs/status")).json()

        assert queued["window_hours"] == 24
        assert queued["total_jobs"] == before["total_jobs"]
        assert (queued["total_runs"], queued["running"]) == (
            before["total_runs"] + 1,
            before["running"] + 1,
        )
        assert (cancelled["running"], cancelled["cancelled"]) == (
            before["running"],
            before["cancelled"] + 1,
        )
        assert cancelled["total_runs"] == queued["total_runs"]

    async def test_the_window_is_reported_back(self, viewer: AsyncClient) -> None:
        response = await viewer.get("/api/jobs/status", params={"hours": 168})
        assert response.status_code == 200
        assert response.json()["window_hours"] == 168
