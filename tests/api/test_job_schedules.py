"""Job schedules through the API: cron, one-time and windows on create, and schedule changes on
update."""

from datetime import UTC, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from httpx import AsyncClient, Response
from netraven_shared.db.models import Job
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_device, create_job, unique


def ahead(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


async def post_job(admin: AsyncClient, schedule: dict, tag: str = "sched") -> Response:
    return await admin.post(
        "/api/jobs", json={"name": unique("job"), "tags": [tag], "schedule": schedule}
    )


class TestCronSchedule:
    async def test_is_stored_and_read_back(self, admin: AsyncClient) -> None:
        schedule = {
            "type": "cron",
            "expression": "*/15 * * * *",
            "timezone": "Europe/Berlin",
            "start_at": None,
            "end_at": None,
        }
        response = await post_job(admin, schedule)
        assert response.status_code == 201, response.text
        assert (await admin.get(f"/api/jobs/{response.json()['id']}")).json()[
            "schedule"
        ] == schedule

    async def test_timezone_defaults_to_utc(self, admin: AsyncClient) -> None:
        response = await post_job(admin, {"type": "cron", "expression": "0 2 * * *"})
        assert response.json()["schedule"]["timezone"] == "UTC"

    async def test_an_invalid_expression_is_422_with_a_reason(self, admin: AsyncClient) -> None:
        response = await post_job(admin, {"type": "cron", "expression": "61 * * * *"})
        assert response.status_code == 422
        assert "not a valid cron expression" in response.text

    async def test_only_five_fields_are_accepted(self, admin: AsyncClient) -> None:
        for expression in ("*/10 * * * * *", "@hourly", "* * * *"):
            response = await post_job(admin, {"type": "cron", "expression": expression})
            assert response.status_code == 422, expression
            assert "5 fields" in response.text

    async def test_an_expression_that_never_fires_is_refused(self, admin: AsyncClient) -> None:
        response = await post_job(admin, {"type": "cron", "expression": "0 0 31 2 *"})
        assert response.status_code == 422

    async def test_an_unknown_timezone_is_422_with_a_reason(self, admin: AsyncClient) -> None:
        response = await post_job(
            admin, {"type": "cron", "expression": "0 2 * * *", "timezone": "Mars/Olympus"}
        )
        assert response.status_code == 422
        assert "unknown timezone 'Mars/Olympus'" in response.text


class TestOnetimeSchedule:
    async def test_a_future_time_is_stored_in_utc(self, admin: AsyncClient) -> None:
        run_at = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
        response = await post_job(
            admin,
            {"type": "onetime", "run_at": run_at.astimezone(ZoneInfo("Asia/Tokyo")).isoformat()},
        )
        assert response.status_code == 201, response.text
        assert datetime.fromisoformat(response.json()["schedule"]["run_at"]) == run_at

    async def test_a_past_time_is_422(self, admin: AsyncClient) -> None:
        response = await post_job(admin, {"type": "onetime", "run_at": ahead(minutes=-1)})
        assert response.status_code == 422
        assert "run_at is in the past" in response.text

    async def test_a_time_without_timezone_is_422(self, admin: AsyncClient) -> None:
        response = await post_job(admin, {"type": "onetime", "run_at": "2099-01-01T10:00:00"})
        assert response.status_code == 422

    async def test_a_time_out_of_range_is_422_not_500(self, admin: AsyncClient) -> None:
        response = await post_job(admin, {"type": "onetime", "run_at": "9999-12-31T23:59:59-14:00"})
        assert response.status_code == 422


class TestScheduleWindow:
    async def test_a_window_is_stored_on_any_scheduled_type(self, admin: AsyncClient) -> None:
        window = {"start_at": ahead(days=1), "end_at": ahead(days=2)}
        response = await post_job(admin, {"type": "interval", "seconds": 3600, **window})
        assert response.status_code == 201, response.text
        stored = response.json()["schedule"]
        assert datetime.fromisoformat(stored["start_at"]) == datetime.fromisoformat(
            window["start_at"]
        )

    async def test_end_before_start_is_422(self, admin: AsyncClient) -> None:
        response = await post_job(
            admin,
            {
                "type": "cron",
                "expression": "0 * * * *",
                "start_at": ahead(days=2),
                "end_at": ahead(days=1),
            },
        )
        assert response.status_code == 422
        assert "end_at must be after start_at" in response.text


class TestUpdateJob:
    async def test_only_the_given_fields_change(self, admin: AsyncClient) -> None:
        device = await create_device(admin, 2500, "patch")
        job = await create_job(admin, [device["id"]])
        name = unique("renamed")
        response = await admin.patch(
            f"/api/jobs/{job['id']}", json={"name": name, "enabled": False}
        )
        assert response.status_code == 200, response.text
        assert response.json() | {"name": job["name"], "enabled": True} == job
        assert response.json()["name"] == name

    async def test_schedule_and_targets_change(self, admin: AsyncClient) -> None:
        devices = [await create_device(admin, 2510 + n, "patch") for n in range(2)]
        job = await create_job(admin, [devices[0]["id"]])
        schedule = {
            "type": "cron",
            "expression": "30 3 * * 1-5",
            "timezone": "America/New_York",
            "start_at": None,
            "end_at": None,
        }
        body = {"schedule": schedule, "device_ids": [devices[1]["id"]], "tags": ["patched"]}
        changed = (await admin.patch(f"/api/jobs/{job['id']}", json=body)).json()
        assert (changed["schedule"], changed["device_ids"], changed["tags"]) == (
            schedule,
            [devices[1]["id"]],
            ["patched"],
        )

    async def test_an_invalid_schedule_is_422_and_changes_nothing(self, admin: AsyncClient) -> None:
        job = (await post_job(admin, {"type": "interval", "seconds": 600})).json()
        response = await admin.patch(
            f"/api/jobs/{job['id']}", json={"schedule": {"type": "cron", "expression": "every day"}}
        )
        assert response.status_code == 422
        assert (await admin.get(f"/api/jobs/{job['id']}")).json() == job

    async def test_removing_every_target_is_422(self, admin: AsyncClient) -> None:
        job = (await post_job(admin, {"type": "manual"})).json()
        response = await admin.patch(f"/api/jobs/{job['id']}", json={"tags": []})
        assert response.status_code == 422
        assert "needs targets" in response.text

    async def test_a_name_taken_by_another_job_is_409(self, admin: AsyncClient) -> None:
        first, second = [(await post_job(admin, {"type": "manual"})).json() for _ in range(2)]
        response = await admin.patch(f"/api/jobs/{second['id']}", json={"name": first["name"]})
        assert response.status_code == 409
        assert (
            await admin.patch(f"/api/jobs/{second['id']}", json={"name": second["name"]})
        ).status_code == 200

    async def test_unknown_job_is_404(self, admin: AsyncClient) -> None:
        response = await admin.patch(
            "/api/jobs/00000000-0000-0000-0000-000000000000", json={"enabled": False}
        )
        assert response.status_code == 404


class TestUpdateOnetimeJob:
    async def test_a_new_run_at_in_the_past_is_422(self, admin: AsyncClient) -> None:
        job = (await post_job(admin, {"type": "manual"})).json()
        response = await admin.patch(
            f"/api/jobs/{job['id']}",
            json={"schedule": {"type": "onetime", "run_at": ahead(hours=-1)}},
        )
        assert response.status_code == 422
        assert "run_at is in the past" in response.text

    async def test_a_schedule_that_has_run_can_be_sent_back_unchanged(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        job = (await post_job(admin, {"type": "onetime", "run_at": ahead(hours=1)})).json()
        async with sessions() as session:  # time passes: the job has run
            stored = await session.get(Job, UUID(job["id"]))
            stored.run_at = datetime.now(UTC) - timedelta(hours=1)
            await session.commit()
        job = (await admin.get(f"/api/jobs/{job['id']}")).json()
        response = await admin.patch(
            f"/api/jobs/{job['id']}", json={"name": unique("renamed"), "schedule": job["schedule"]}
        )
        assert response.status_code == 200, response.text
        assert response.json()["schedule"] == job["schedule"]
