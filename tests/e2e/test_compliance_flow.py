"""Compliance across the running stack: a lab device's config changes, and within seconds the api
has evaluated the new version and a `ComplianceViolated` naming the rule is on the bus; a fleet
check evaluates every backed-up device."""

import asyncio
import json
import time
from collections.abc import AsyncIterator

import nats
import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_shared.events import subjects

from tests.e2e.runs import back_up
from tests.fixtures.factories import create_credential, create_device, create_tag, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD

pytestmark = pytest.mark.e2e
SECURE_VTY = " transport input ssh"
TELNET_VTY = " transport input ssh telnet"


@pytest.fixture
async def violations(infra: Infra) -> AsyncIterator[asyncio.Queue]:
    client = await nats.connect(**infra.nats_options())
    seen: asyncio.Queue = asyncio.Queue()

    async def collect(message) -> None:
        await seen.put(json.loads(message.data))

    await client.subscribe(subjects.COMPLIANCE_VIOLATED, cb=collect)
    yield seen
    await client.close()


@pytest.fixture
async def tagged(stack_admin: AsyncClient) -> tuple[str, dict]:
    """A tag with the lab's credential, and a rule scoped to it: no telnet on the vty lines."""
    tag = unique("compliance")
    await create_tag(stack_admin, tag)
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    response = await stack_admin.post(
        "/api/compliance/rules",
        json={
            "name": unique("no telnet"),
            "kind": "must_not_contain",
            "pattern": r"^transport input .*telnet",
            "regex": True,
            "section": "^line vty",
            "platforms": ["cisco_ios"],
            "tags": [tag],
            "severity": "critical",
        },
    )
    assert response.status_code == 201, response.text
    return tag, response.json()


async def evaluation_of(client: AsyncClient, device_id: str, commit: str, within: float) -> dict:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        response = await client.get(f"/api/compliance/devices/{device_id}")
        if response.status_code == 200 and response.json()["commit"] == commit:
            return response.json()
        await asyncio.sleep(0.2)
    raise AssertionError(f"no evaluation of {commit} for device {device_id} within {within} s")


async def newest_commit(client: AsyncClient, device_id: str) -> str:
    return (await client.get(f"/api/devices/{device_id}/configs")).json()[0]["commit"]


class TestOnChange:
    async def test_a_change_that_breaks_a_rule_is_found_and_announced_within_seconds(
        self, stack_admin: AsyncClient, lab: Lab, tagged, violations: asyncio.Queue
    ) -> None:
        tag, rule = tagged
        profile = lab.profiles[2]
        device = await create_device(stack_admin, profile.port, tag)
        assert (await back_up(stack_admin, device["id"]))["status"] == "succeeded"
        first = await newest_commit(stack_admin, device["id"])
        assert (await evaluation_of(stack_admin, device["id"], first, 10))["status"] == "compliant"

        assert SECURE_VTY + "\n" in profile.config_text
        lab.set_config(profile.hostname, profile.config_text.replace(SECURE_VTY, TELNET_VTY))
        try:
            assert (await back_up(stack_admin, device["id"]))["status"] == "succeeded"
        finally:
            lab.set_config(profile.hostname, profile.config_text)
        changed = await newest_commit(stack_admin, device["id"])
        evaluation = await evaluation_of(stack_admin, device["id"], changed, 10)
        assert (evaluation["status"], evaluation["worst_severity"]) == ("noncompliant", "critical")
        [result] = evaluation["results"]
        assert result["details"][0].startswith("line vty 0 4 (line ")
        assert result["details"][0].endswith(": transport input ssh telnet")

        async with asyncio.timeout(10):
            event = await violations.get()
            while event["device_id"] != device["id"]:
                event = await violations.get()
        assert (event["commit"], event["hostname"]) == (changed, device["hostname"])
        assert [(v["rule_id"], v["severity"]) for v in event["violations"]] == [
            (rule["id"], "critical")
        ]


class TestFleetCheck:
    async def test_every_backed_up_device_is_evaluated(
        self, stack_admin: AsyncClient, lab: Lab, tagged
    ) -> None:
        tag, rule = tagged
        devices = [await create_device(stack_admin, p.port, tag) for p in lab.profiles[:3]]
        for device in devices:
            assert (await back_up(stack_admin, device["id"]))["status"] == "succeeded"
        response = await stack_admin.post("/api/compliance/check")
        assert response.status_code == 202, response.text
        check = response.json()
        async with asyncio.timeout(60):
            while check["finished_at"] is None:
                await asyncio.sleep(0.3)
                check = (await stack_admin.get(f"/api/compliance/checks/{check['id']}")).json()
        assert check["evaluated"] == check["total"] >= len(devices)
        for device in devices:
            current = (await stack_admin.get(f"/api/compliance/devices/{device['id']}")).json()
            assert (current["check_id"], current["status"]) == (check["id"], "compliant")
        summary = (await stack_admin.get("/api/compliance/summary")).json()
        counts = next(r for r in summary["rules"] if r["rule_id"] == rule["id"])
        assert counts["passed"] >= len(devices)
