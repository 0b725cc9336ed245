from httpx import AsyncClient

from tests.fixtures.factories import create_device, create_job, unique


class TestCreateJob:
    async def test_job_without_targets_is_422_with_a_reason(self, admin: AsyncClient) -> None:
        response = await admin.post("/api/jobs", json={"name": unique("job")})
        assert response.status_code == 422
        assert "needs targets" in response.text

    async def test_unknown_device_ids_are_named(self, admin: AsyncClient) -> None:
        missing = "00000000-0000-0000-0000-00000000abcd"
        response = await admin.post("/api/jobs", json={"name": unique("job"), "device_ids": [missing]})
        assert response.status_code == 422
        assert response.json()["detail"] == [missing]

    async def test_interval_below_a_minute_is_refused(self, admin: AsyncClient) -> None:
        response = await admin.post("/api/jobs", json={"name": unique("job"), "tags": ["x"], "schedule": {"type": "interval", "seconds": 5}})
        assert response.status_code == 422

    async def test_manual_job_is_created(self, admin: AsyncClient) -> None:
        device = await create_device(admin, 2300, "jobs")
        job = await create_job(admin, [device["id"]])
        assert job["schedule"] == {"type": "manual"}
        assert job["device_ids"] == [device["id"]]


class TestRunNow:
    async def test_run_is_recorded_queued_with_one_result_per_device(self, admin: AsyncClient) -> None:
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
        assert response.json() == {"status": "ok", "checks": {"database": "ok", "nats": "ok"}}

    async def test_logs_filter_values_are_checked(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/logs", params={"level": "loud", "cursor": "abc"})
        assert response.status_code == 422
        assert {p["field"] for p in response.json()["detail"]} == {"query.level", "query.cursor"}

    async def test_log_cursor_past_a_bigint_is_422_not_500(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/logs", params={"cursor": "9" * 19})
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "query.cursor"

    async def test_last_event_id_past_a_bigint_is_422_before_the_stream_opens(self, admin: AsyncClient) -> None:
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
