"""A driver's extra outputs and facts, end to end against the lab: the worker runs `show version`
and `show inventory` after the config, gitkeeper stores each as its own file beside the config in
the same commit, the api reads them per config version, and the facts reach the device record,
filterable. An extra command the device rejects costs the config nothing."""

import subprocess

import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_lab.show_output import IOS_VERSION, MODEL, serial_number

from tests.e2e.runs import back_up
from tests.fixtures.consumers import wait_until
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e


def files_at_head(stack: Stack) -> set[str]:
    listed = subprocess.run(
        ["git", "--git-dir", stack.env["NETRAVEN_REPO_PATH"], "ls-tree", "--name-only", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(listed.stdout.split())


def changed_in(stack: Stack, commit: str) -> set[str]:
    shown = subprocess.run(
        [
            "git",
            "--git-dir",
            stack.env["NETRAVEN_REPO_PATH"],
            "show",
            "--name-only",
            "--format=",
            commit,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(shown.stdout.split())


async def device_once_facts_arrive(client: AsyncClient, device_id: str) -> dict:
    shown: dict = {}

    async def has_facts() -> bool:
        shown.update((await client.get(f"/api/devices/{device_id}")).json())
        return shown["facts_updated_at"] is not None

    await wait_until(has_facts)
    return shown


async def test_outputs_are_files_beside_the_config_and_facts_reach_the_device(
    stack: Stack, stack_admin: AsyncClient, lab: Lab
) -> None:
    tag = unique("facts")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    profile = lab.profiles[2]
    device = await create_device(stack_admin, profile.port, tag)
    run = await back_up(stack_admin, device["id"])
    assert run["status"] == "succeeded", run

    shown = await device_once_facts_arrive(stack_admin, device["id"])
    serial = serial_number(profile.hostname)
    assert (shown["model"], shown["serial_number"], shown["os_version"]) == (
        MODEL,
        serial,
        IOS_VERSION,
    )

    commit = (await stack_admin.get(f"/api/devices/{device['id']}/configs")).json()[0]["commit"]
    config = f"{device['hostname']}.cfg"
    beside = {f"{device['hostname']}.version.txt", f"{device['hostname']}.inventory.txt"}
    assert {config, *beside} <= files_at_head(stack)
    assert {config, *beside} <= changed_in(stack, commit), "one commit holds all three"

    base = f"/api/devices/{device['id']}/configs/{commit}"
    version = (await stack_admin.get(base, params={"output": "version"})).json()
    assert version["output"] == "version"
    assert f"Processor board ID {serial}" in version["text"]
    assert "uptime is" not in version["text"], "the output's noise rule drops the uptime"
    inventory = (await stack_admin.get(base, params={"output": "inventory"})).json()
    assert f"SN: {serial}" in inventory["text"]
    missing = await stack_admin.get(base, params={"output": "hardware"})
    assert missing.status_code == 404

    listed = await stack_admin.get(
        "/api/devices", params={"model": MODEL.lower(), "serial_number": serial, "tag": tag}
    )
    assert [item["id"] for item in listed.json()["items"]] == [device["id"]]
    other = await stack_admin.get("/api/devices", params={"os_version": "99.9", "tag": tag})
    assert other.json()["items"] == []


async def test_a_rejected_extra_command_keeps_the_config_and_the_other_outputs(
    stack: Stack, stack_admin: AsyncClient, lab: Lab
) -> None:
    tag = unique("rejected-output")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    profile = lab.profiles[3]
    device = await create_device(stack_admin, profile.port, tag, device_type="lab_extra_outputs")
    run = await back_up(stack_admin, device["id"])
    assert run["status"] == "succeeded", run

    shown = await device_once_facts_arrive(stack_admin, device["id"])
    assert shown["os_version"] == IOS_VERSION
    assert shown["serial_number"] is None, "read from the output the device rejected"

    commit = (await stack_admin.get(f"/api/devices/{device['id']}/configs")).json()[0]["commit"]
    base = f"/api/devices/{device['id']}/configs/{commit}"
    config = (await stack_admin.get(base)).json()
    assert f"hostname {profile.hostname}" in config["text"]
    assert (await stack_admin.get(base, params={"output": "version"})).status_code == 200
    assert (await stack_admin.get(base, params={"output": "environment"})).status_code == 404
    assert f"{device['hostname']}.environment.txt" not in files_at_head(stack)

    async def logged_missing() -> bool:
        logs = await stack_admin.get(
            "/api/logs",
            params={"device_id": device["id"], "level": "warning", "q": "environment missing"},
        )
        return any(
            "the device rejected 'show environment': % Invalid input" in entry["message"]
            for entry in logs.json()["items"]
        )

    await wait_until(logged_missing)
