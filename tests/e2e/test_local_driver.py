"""A driver file an operator drops into NETRAVEN_DRIVERS_DIR is a platform like a built-in: the api
lists it and accepts devices on it, the worker backs them up through it."""

import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab

from tests.e2e.runs import back_up
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD

pytestmark = pytest.mark.e2e


async def test_a_device_on_a_local_driver_is_backed_up_through_it(
    stack_admin: AsyncClient, lab: Lab
) -> None:
    platforms = (await stack_admin.get("/api/platforms")).json()
    sources = {p["platform"]: p["source"] for p in platforms["platforms"]}
    assert sources["lab_local"] == "local" and sources["cisco_ios"] == "built-in"
    assert platforms["errors"] == []

    tag = unique("local-driver")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    profile = lab.profiles[1]
    device = await create_device(stack_admin, profile.port, tag, device_type="lab_local")
    run = await back_up(stack_admin, device["id"])
    assert run["status"] == "succeeded", run

    versions = (await stack_admin.get(f"/api/devices/{device['id']}/configs")).json()
    commit = versions[0]["commit"]
    stored = (await stack_admin.get(f"/api/devices/{device['id']}/configs/{commit}")).json()
    original = profile.config_text
    assert f"hostname {profile.hostname}" in original
    assert "hostname " not in stored["text"], "the local driver's noise rule drops the hostname"
    assert "<redacted>" in stored["text"]
