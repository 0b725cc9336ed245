"""A device only the lab's SSH bastion can reach, backed up by the whole stack: an admin adds the
jump host with its pinned key, the device names it, and the worker tunnels its session through
it."""

from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient
from netraven_lab import Lab, LabBastion, make_lab_profiles

from tests.e2e.runs import back_up
from tests.fixtures.factories import create_credential, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME

pytestmark = pytest.mark.e2e

HIDDEN = ("10.255.0.9", 22)  # nothing answers there: only the bastion knows where the device is


@pytest.fixture
async def bastion() -> AsyncIterator[LabBastion]:
    profiles = make_lab_profiles(
        1, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE
    )
    async with Lab(profiles) as lab:
        routes = {HIDDEN: (lab.host, lab.profiles[0].port)}
        async with LabBastion("jump", "bastion-Password-1", routes) as running:
            yield running


async def test_a_device_behind_a_jump_host_is_backed_up_and_its_config_stored(
    stack_admin: AsyncClient, bastion: LabBastion
) -> None:
    bastion_credential = await create_credential(
        stack_admin, unique("bastion-only"), "bastion-Password-1", username="jump"
    )
    response = await stack_admin.post(
        "/api/jump-hosts",
        json={
            "name": unique("bastion"),
            "address": bastion.host,
            "port": bastion.port,
            "credential_id": bastion_credential["id"],
            "host_key": bastion.host_key_line,
        },
    )
    assert response.status_code == 201, response.text
    jump = response.json()
    tag = unique("behind")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE, username=LAB_USERNAME)
    response = await stack_admin.post(
        "/api/devices",
        json={
            "hostname": unique("hidden"),
            "ip_address": HIDDEN[0],
            "port": HIDDEN[1],
            "device_type": "cisco_ios",
            "jump_host_id": jump["id"],
            "tags": [tag],
        },
    )
    assert response.status_code == 201, response.text
    device = response.json()

    run = await back_up(stack_admin, device["id"])

    assert run["results"][0]["status"] == "succeeded", run
    assert bastion.forwarded == [HIDDEN]
    detail = (await stack_admin.get(f"/api/devices/{device['id']}")).json()
    assert detail["host_key"]["status"] == "pinned", "the device's own key, learned end to end"
    assert detail["jump_host"] == {"id": jump["id"], "name": jump["name"], "from_tag": None}
    response = await stack_admin.delete(f"/api/jump-hosts/{jump['id']}")
    assert response.status_code == 409
    assert device["hostname"] in response.json()["error"]
