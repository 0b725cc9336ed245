"""A job says when it was created: the dashboard counts interval slots from there, as the scheduler
does."""

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from tests.fixtures.factories import create_device, create_job


class TestJobCreatedAt:
    async def test_new_job_carries_its_creation_time(self, admin: AsyncClient) -> None:
        before = datetime.now(UTC)
        device = await create_device(admin, 2390, "created-at")
        job = await create_job(admin, [device["id"]])
        created_at = datetime.fromisoformat(job["created_at"])
        assert (
            before - timedelta(seconds=5) <= created_at <= datetime.now(UTC) + timedelta(seconds=5)
        )

    async def test_an_update_keeps_the_creation_time(self, admin: AsyncClient) -> None:
        device = await create_device(admin, 2391, "created-at")
        job = await create_job(admin, [device["id"]])
        updated = await admin.patch(
            f"/api/jobs/{job['id']}", json={"schedule": {"type": "interval", "seconds": 600}}
        )
        assert updated.status_code == 200, updated.text
        assert updated.json()["created_at"] == job["created_at"]
        listed = (await admin.get("/api/jobs")).json()["items"]
        assert next(j for j in listed if j["id"] == job["id"])["created_at"] == job["created_at"]
