"""Reachability checks and per-device SSH options end to end: five service processes, real NATS and
PostgreSQL, the SSH simulator."""

import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab

from tests.e2e.runs import wait_for
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD

pytestmark = pytest.mark.e2e


async def run_now(client: AsyncClient, device_id: str, action: str) -> dict:
    accepted = await client.post(f"/api/devices/{device_id}/{action}")
    assert accepted.status_code == 202, accepted.text
    return await wait_for(client, accepted.json()["run_id"])


class TestReachability:
    async def test_a_lab_device_is_reachable_with_its_latency(
        self, stack_admin: AsyncClient, lab: Lab
    ) -> None:
        device = await create_device(stack_admin, lab.profiles[2].port, unique("reach"))
        run = await run_now(stack_admin, device["id"], "reachability")
        assert (run["kind"], run["status"], run["results"][0]["status"]) == (
            "reachability",
            "succeeded",
            "succeeded",
        )
        reachability = (await stack_admin.get(f"/api/devices/{device['id']}")).json()[
            "reachability"
        ]
        assert reachability["status"] == "reachable"
        assert 0 < reachability["latency_ms"] < 5000
        assert reachability["error"] is None

    async def test_a_closed_port_is_unreachable_because_the_connection_is_refused(
        self, stack_admin: AsyncClient, closed_port: int
    ) -> None:
        device = await create_device(stack_admin, closed_port, unique("reach"))
        run = await run_now(stack_admin, device["id"], "reachability")
        assert (run["status"], run["results"][0]["error"]) == ("failed", "connection refused")
        reachability = (await stack_admin.get(f"/api/devices/{device['id']}")).json()[
            "reachability"
        ]
        assert (reachability["status"], reachability["error"]) == (
            "unreachable",
            "connection refused",
        )
        listed = (
            await stack_admin.get(
                "/api/devices", params={"reachability": "unreachable", "q": device["hostname"]}
            )
        ).json()
        assert [d["id"] for d in listed["items"]] == [device["id"]]

    async def test_a_reachability_job_checks_every_target_without_logging_in(
        self, stack_admin: AsyncClient, lab: Lab, closed_port: int
    ) -> None:
        tag = unique("reach-job")
        up = await create_device(stack_admin, lab.profiles[2].port, tag)
        down = await create_device(stack_admin, closed_port, tag)
        job = (
            await stack_admin.post(
                "/api/jobs", json={"name": unique("ping"), "kind": "reachability", "tags": [tag]}
            )
        ).json()
        accepted = await stack_admin.post(f"/api/jobs/{job['id']}/run")
        run = await wait_for(stack_admin, accepted.json()["run_id"])
        assert run["status"] == "partial"
        assert {r["device_id"]: r["status"] for r in run["results"]} == {
            up["id"]: "succeeded",
            down["id"]: "failed",
        }
        assert (await stack_admin.get(f"/api/devices/{up['id']}/configs")).json() == [], (
            "a reachability check collects no config"
        )


class TestLegacySsh:
    async def test_a_legacy_only_device_backs_up_with_legacy_ssh_and_says_so_without(
        self, stack_admin: AsyncClient, legacy_lab: Lab
    ) -> None:
        tag = unique("legacy")
        await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
        device = await create_device(stack_admin, legacy_lab.profiles[0].port, tag)
        refused = await run_now(stack_admin, device["id"], "backup")
        assert refused["status"] == "failed"
        assert "turn on legacy_ssh" in refused["results"][0]["error"]
        await stack_admin.patch(f"/api/devices/{device['id']}", json={"legacy_ssh": True})
        run = await run_now(stack_admin, device["id"], "backup")
        assert (run["kind"], run["status"]) == ("backup", "succeeded"), run
        assert len((await stack_admin.get(f"/api/devices/{device['id']}/configs")).json()) == 1


class TestTimeout:
    async def test_a_silent_device_fails_within_its_own_timeout(
        self, stack_admin: AsyncClient, silent_port: int
    ) -> None:
        tag = unique("silent")
        await create_credential(stack_admin, tag, LAB_PASSWORD)
        device = await create_device(stack_admin, silent_port, tag)
        await stack_admin.patch(f"/api/devices/{device['id']}", json={"timeout_seconds": 5})
        run = await run_now(stack_admin, device["id"], "backup")
        assert run["status"] == "failed"
        assert "did not answer within 5 s" in run["results"][0]["error"]
