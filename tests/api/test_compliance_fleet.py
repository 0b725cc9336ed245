"""Fleet checks: asked for, or started by adding or changing a rule; every device's newest
version evaluated, with progress."""

import asyncio
from uuid import uuid4

from httpx import AsyncClient

from tests.api.compliance_setup import BAD, GOOD, create_rule, device_with


class TestFleet:
    async def test_a_fleet_check_evaluates_every_device_and_shows_progress(
        self, admin: AsyncClient, operator: AsyncClient, sessions, configs: dict, scope: str
    ) -> None:
        await create_rule(admin, scope)
        bad, _ = await device_with(admin, sessions, configs, scope, BAD)
        good, _ = await device_with(admin, sessions, configs, scope, GOOD)
        response = await operator.post("/api/compliance/check")
        assert response.status_code == 202, response.text
        check = response.json()
        assert check["total"] >= 2
        async with asyncio.timeout(20):
            while check["finished_at"] is None:
                await asyncio.sleep(0.2)
                check = (await operator.get(f"/api/compliance/checks/{check['id']}")).json()
        assert check["evaluated"] == check["total"]
        assert check["noncompliant"] >= 1
        for device, status in ((bad, "noncompliant"), (good, "compliant")):
            current = (await operator.get(f"/api/compliance/devices/{device['id']}")).json()
            assert (current["check_id"], current["status"]) == (check["id"], status)

    async def test_an_unknown_check_is_a_404(self, viewer: AsyncClient) -> None:
        assert (await viewer.get(f"/api/compliance/checks/{uuid4()}")).status_code == 404

    async def test_adding_changing_or_deleting_a_rule_checks_the_fleet(
        self, admin: AsyncClient, sessions, configs: dict, scope: str
    ) -> None:
        bad, _ = await device_with(admin, sessions, configs, scope, BAD)
        rule = await create_rule(admin, scope)
        async with asyncio.timeout(20):
            while (current := await self.current(admin, bad["id"]))["status"] != "noncompliant":
                await asyncio.sleep(0.2)
        assert current["check_id"] is not None
        changed = await admin.patch(
            f"/api/compliance/rules/{rule['id']}", json={"kind": "must_contain"}
        )
        assert changed.status_code == 200, changed.text
        first_check = current["check_id"]
        async with asyncio.timeout(20):
            while (again := await self.current(admin, bad["id"]))["check_id"] == first_check:
                await asyncio.sleep(0.2)
        assert again["evaluated_at"] > current["evaluated_at"]
        assert (await admin.delete(f"/api/compliance/rules/{rule['id']}")).status_code == 204
        async with asyncio.timeout(20):
            while (await self.current(admin, bad["id"]))["status"] != "compliant":
                await asyncio.sleep(0.2)

    @staticmethod
    async def current(client: AsyncClient, device_id: str) -> dict:
        response = await client.get(f"/api/compliance/devices/{device_id}")
        if response.status_code == 404:
            return {"status": None, "check_id": None}
        return response.json()
