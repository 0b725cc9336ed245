"""Device trust end to end: five service processes, each with its own bus identity and database
role, real NATS and PostgreSQL, and a simulated device that records every password it is offered.

The api pins the key the worker reports on first use and binds the credential that worked; the
worker checks the pin before any password leaves it; an admin accepts a changed key through the api.
"""

from collections.abc import AsyncIterator

import asyncssh
import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from netraven_shared.host_keys import HostKey

from tests.e2e.runs import back_up
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME

pytestmark = pytest.mark.e2e


@pytest.fixture
async def device_lab() -> AsyncIterator[Lab]:
    """A device of its own: the test replaces its host key."""
    async with Lab(
        make_lab_profiles(1, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE)
    ) as running:
        yield running


async def test_a_changed_host_key_gets_no_password_until_an_admin_accepts_it(
    stack_admin: AsyncClient, device_lab: Lab
) -> None:
    hostname = device_lab.profiles[0].hostname
    tag = unique("trust")
    await create_credential(stack_admin, tag, "not-the-password", username="decoy", priority=1)
    good = await create_credential(
        stack_admin, tag, LAB_PASSWORD, LAB_ENABLE, username=LAB_USERNAME, priority=50
    )
    device = await create_device(stack_admin, device_lab.profiles[0].port, tag)

    first = await back_up(stack_admin, device["id"])
    assert first["results"][0]["status"] == "succeeded", first
    assert [user for user, _ in device_lab.auth_attempts(hostname)] == ["decoy", LAB_USERNAME], (
        "first contact tries the candidates in order"
    )
    detail = (await stack_admin.get(f"/api/devices/{device['id']}")).json()
    lab_key = HostKey.parse(device_lab.host_keys(hostname)[0])
    assert (detail["host_key"]["status"], detail["host_key"]["pinned_by"]) == (
        "pinned",
        "first use",
    )
    assert detail["host_key"]["fingerprint"] == lab_key.fingerprint
    assert detail["bound_credential"] == {"id": good["id"], "name": good["name"]}

    second = await back_up(stack_admin, device["id"])
    assert second["results"][0]["status"] == "succeeded", second
    assert [user for user, _ in device_lab.auth_attempts(hostname)[2:]] == [LAB_USERNAME], (
        "only the bound credential is sent"
    )

    replacement = asyncssh.generate_private_key("ssh-ed25519")
    await device_lab.set_host_keys(hostname, replacement)
    new_fingerprint = HostKey.parse(device_lab.host_keys(hostname)[0]).fingerprint
    attempts_before = len(device_lab.auth_attempts(hostname))
    refused = await back_up(stack_admin, device["id"])
    error = refused["results"][0]["error"]
    assert refused["results"][0]["status"] == "failed"
    assert f"host key changed: was {lab_key.fingerprint}, now {new_fingerprint}" in error
    assert len(device_lab.auth_attempts(hostname)) == attempts_before, (
        "no password reached the device"
    )
    changed = (await stack_admin.get(f"/api/devices/{device['id']}")).json()["host_key"]
    assert (changed["status"], changed["fingerprint"], changed["offered"]["fingerprint"]) == (
        "changed",
        lab_key.fingerprint,
        new_fingerprint,
    )
    listed = (
        await stack_admin.get(
            "/api/devices", params={"host_key_status": "changed", "q": device["hostname"]}
        )
    ).json()
    assert [d["id"] for d in listed["items"]] == [device["id"]]

    accepted = await stack_admin.post(
        f"/api/devices/{device['id']}/host-key/accept", json={"fingerprint": new_fingerprint}
    )
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["host_key"]["status"], accepted.json()["host_key"]["fingerprint"]) == (
        "pinned",
        new_fingerprint,
    )
    after = await back_up(stack_admin, device["id"])
    assert after["results"][0]["status"] == "succeeded", after
    assert [user for user, _ in device_lab.auth_attempts(hostname)[attempts_before:]] == [
        LAB_USERNAME
    ]
