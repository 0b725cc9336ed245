"""Reachability as its own kind of run: ad-hoc device runs, jobs of kind `reachability`, and the api
recording what the worker reports (`DeviceReachabilityChecked` on the real NATS) into the run and
the device."""

import asyncio
import time
from datetime import timedelta
from uuid import UUID

from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_shared.db.base import utc_now
from netraven_shared.events import DeviceReachabilityChecked
from netraven_shared.messaging import publish_event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_device, record_backup, unique

MISSING = "00000000-0000-0000-0000-000000000000"


async def eventually(client: AsyncClient, path: str, done, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = (await client.get(path)).json()
        if done(body):
            return body
        await asyncio.sleep(0.2)
    raise AssertionError(f"{path} never got there: {body}")


async def report(broker: NatsBroker, run_id: str, device: dict, reachable: bool, **fields) -> None:
    await publish_event(
        broker,
        DeviceReachabilityChecked(
            run_id=UUID(run_id),
            device_id=UUID(device["id"]),
            hostname=device["hostname"],
            port=device["port"],
            reachable=reachable,
            **fields,
        ),
    )


class TestAdHocRuns:
    async def test_a_reachability_check_is_a_run_of_its_kind_for_that_device(
        self, operator: AsyncClient
    ) -> None:
        device = await create_device(operator, 22, unique("t"))
        response = await operator.post(f"/api/devices/{device['id']}/reachability")
        assert response.status_code == 202, response.text
        run = (await operator.get(f"/api/runs/{response.json()['run_id']}")).json()
        assert (run["kind"], run["trigger"], run["job_id"], run["device_count"]) == (
            "reachability",
            "manual",
            None,
            1,
        )
        assert run["results"][0]["device_id"] == device["id"]
        listed = (await operator.get("/api/runs", params={"limit": 500})).json()["items"]
        assert any(item["id"] == run["id"] and item["kind"] == "reachability" for item in listed)

    async def test_a_backup_of_one_device_is_a_backup_run(self, operator: AsyncClient) -> None:
        device = await create_device(operator, 22, unique("t"))
        response = await operator.post(f"/api/devices/{device['id']}/backup")
        assert response.status_code == 202, response.text
        run = (await operator.get(f"/api/runs/{response.json()['run_id']}")).json()
        assert (run["kind"], run["trigger"], [r["device_id"] for r in run["results"]]) == (
            "backup",
            "manual",
            [device["id"]],
        )

    async def test_an_unknown_device_is_404_and_a_viewer_is_403(
        self, operator: AsyncClient, viewer: AsyncClient
    ) -> None:
        for action in ("backup", "reachability"):
            missing = await operator.post(f"/api/devices/{MISSING}/{action}")
            assert missing.status_code == 404
            assert MISSING in missing.json()["error"]
        device = await create_device(operator, 22, unique("t"))
        assert (await viewer.post(f"/api/devices/{device['id']}/reachability")).status_code == 403


class TestRecordingChecks:
    async def test_a_reachable_device_gets_its_latency_and_the_run_succeeds(
        self, operator: AsyncClient, broker: NatsBroker
    ) -> None:
        device = await create_device(operator, 22, unique("t"))
        assert device["reachability"] == {
            "status": "unknown",
            "latency_ms": None,
            "checked_at": None,
            "error": None,
        }
        run_id = (await operator.post(f"/api/devices/{device['id']}/reachability")).json()["run_id"]
        await report(broker, run_id, device, True, latency_ms=3.25)
        checked = await eventually(
            operator,
            f"/api/devices/{device['id']}",
            lambda d: d["reachability"]["status"] != "unknown",
        )
        assert (checked["reachability"]["status"], checked["reachability"]["latency_ms"]) == (
            "reachable",
            3.25,
        )
        assert checked["reachability"]["checked_at"] is not None
        run = await eventually(operator, f"/api/runs/{run_id}", lambda r: r["status"] != "queued")
        assert (run["status"], run["results"][0]["status"], run["results"][0]["error"]) == (
            "succeeded",
            "succeeded",
            None,
        )

    async def test_an_unreachable_device_fails_its_run_with_the_reason(
        self, operator: AsyncClient, broker: NatsBroker
    ) -> None:
        device = await create_device(operator, 22, unique("t"))
        run_id = (await operator.post(f"/api/devices/{device['id']}/reachability")).json()["run_id"]
        await report(broker, run_id, device, False, error="connection refused")
        run = await eventually(operator, f"/api/runs/{run_id}", lambda r: r["status"] != "queued")
        assert (run["status"], run["results"][0]["error"]) == ("failed", "connection refused")
        checked = (await operator.get(f"/api/devices/{device['id']}")).json()["reachability"]
        assert (checked["status"], checked["latency_ms"], checked["error"]) == (
            "unreachable",
            None,
            "connection refused",
        )

    async def test_a_late_older_report_does_not_overwrite_a_newer_one(
        self, operator: AsyncClient, broker: NatsBroker
    ) -> None:
        device = await create_device(operator, 22, unique("t"))
        newer = (await operator.post(f"/api/devices/{device['id']}/reachability")).json()["run_id"]
        await report(broker, newer, device, True, latency_ms=1.0)
        await eventually(
            operator,
            f"/api/devices/{device['id']}",
            lambda d: d["reachability"]["status"] == "reachable",
        )
        older = (await operator.post(f"/api/devices/{device['id']}/reachability")).json()["run_id"]
        await report(
            broker,
            older,
            device,
            False,
            error="connection refused",
            occurred_at=utc_now() - timedelta(hours=1),
        )
        await eventually(operator, f"/api/runs/{older}", lambda r: r["status"] == "failed")
        assert (await operator.get(f"/api/devices/{device['id']}")).json()["reachability"][
            "status"
        ] == "reachable"

    async def test_a_reachability_run_is_not_the_last_backup(
        self, operator: AsyncClient, broker: NatsBroker, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await create_device(operator, 22, unique("t"))
        await record_backup(sessions, device["id"], "failed", utc_now() - timedelta(minutes=5))
        run_id = (await operator.post(f"/api/devices/{device['id']}/reachability")).json()["run_id"]
        await report(broker, run_id, device, True, latency_ms=1.0)
        await eventually(operator, f"/api/runs/{run_id}", lambda r: r["status"] == "succeeded")
        assert (await operator.get(f"/api/devices/{device['id']}")).json()[
            "last_backup_status"
        ] == "failed"


class TestFilterByReachability:
    async def test_the_list_filters_on_the_last_check(
        self, operator: AsyncClient, broker: NatsBroker
    ) -> None:
        tag = unique("reach")
        up, down, unchecked = [await create_device(operator, 22, tag) for _ in range(3)]
        for device, reachable in ((up, True), (down, False)):
            run_id = (await operator.post(f"/api/devices/{device['id']}/reachability")).json()[
                "run_id"
            ]
            await report(
                broker,
                run_id,
                device,
                reachable,
                **({"latency_ms": 2.0} if reachable else {"error": "connection refused"}),
            )
        await eventually(
            operator,
            f"/api/devices/{down['id']}",
            lambda d: d["reachability"]["status"] == "unreachable",
        )
        await eventually(
            operator,
            f"/api/devices/{up['id']}",
            lambda d: d["reachability"]["status"] == "reachable",
        )
        for status, expected in (("reachable", up), ("unreachable", down), ("unknown", unchecked)):
            page = (
                await operator.get("/api/devices", params={"tag": tag, "reachability": status})
            ).json()
            assert [d["id"] for d in page["items"]] == [expected["id"]], status
        assert (
            await operator.get("/api/devices", params={"reachability": "maybe"})
        ).status_code == 422


class TestJobKind:
    async def test_a_job_keeps_its_kind_and_its_runs_have_it(self, operator: AsyncClient) -> None:
        device = await create_device(operator, 22, unique("t"))
        body = {
            "name": unique("ping"),
            "kind": "reachability",
            "device_ids": [device["id"]],
            "schedule": {"type": "interval", "seconds": 300},
        }
        job = (await operator.post("/api/jobs", json=body)).json()
        assert job["kind"] == "reachability"
        run_id = (await operator.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        assert (await operator.get(f"/api/runs/{run_id}")).json()["kind"] == "reachability"
        changed = (await operator.patch(f"/api/jobs/{job['id']}", json={"kind": "backup"})).json()
        assert changed["kind"] == "backup"

    async def test_jobs_are_backups_unless_told_and_unknown_kinds_are_422(
        self, operator: AsyncClient
    ) -> None:
        device = await create_device(operator, 22, unique("t"))
        job = (
            await operator.post(
                "/api/jobs", json={"name": unique("b"), "device_ids": [device["id"]]}
            )
        ).json()
        assert job["kind"] == "backup"
        response = await operator.post(
            "/api/jobs", json={"name": unique("x"), "kind": "ping", "device_ids": [device["id"]]}
        )
        assert response.status_code == 422
        assert [p["field"] for p in response.json()["detail"]] == ["kind"]
