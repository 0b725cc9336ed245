"""Config history across the running stack: gitkeeper diffs two backed-up versions and searches the
latest ones."""

import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab

from tests.e2e.runs import back_up
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD

pytestmark = pytest.mark.e2e
CHANGED = "ntp server 10.99.0.7 key 1"


@pytest.fixture(scope="module")
async def two_versions(stack_admin: AsyncClient, lab: Lab) -> tuple[dict, list[dict]]:
    """A lab device backed up, its config changed on the device, and backed up again."""
    tag = unique("history")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    profile = lab.profiles[3]
    device = await create_device(stack_admin, profile.port, tag)
    assert (await back_up(stack_admin, device["id"]))["status"] == "succeeded"
    lab.set_config(
        profile.hostname, profile.config_text.replace("ntp server 10.99.0.1 key 1", CHANGED)
    )
    try:
        assert (await back_up(stack_admin, device["id"]))["status"] == "succeeded"
    finally:
        lab.set_config(profile.hostname, profile.config_text)
    versions = (await stack_admin.get(f"/api/devices/{device['id']}/configs")).json()
    assert len(versions) == 2
    return device, versions


class TestDiff:
    async def test_shows_the_changed_line(self, stack_admin: AsyncClient, two_versions) -> None:
        device, [new, old] = two_versions
        response = await stack_admin.get(
            f"/api/devices/{device['id']}/configs/diff",
            params={"from": old["commit"][:10], "to": new["commit"]},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["from"], body["to"], body["added"], body["removed"]) == (
            old["commit"],
            new["commit"],
            1,
            1,
        )
        assert (
            "\n-ntp server 10.99.0.1 key 1\n" in body["diff"] and f"\n+{CHANGED}\n" in body["diff"]
        )

    async def test_the_version_list_counts_the_changed_lines(self, two_versions) -> None:
        _, [new, old] = two_versions
        assert new["changed_lines"] == 2 and old["changed_lines"] > 2

    async def test_an_unknown_commit_is_not_found(
        self, stack_admin: AsyncClient, two_versions
    ) -> None:
        device, [new, _] = two_versions
        response = await stack_admin.get(
            f"/api/devices/{device['id']}/configs/diff",
            params={"from": "0000000", "to": new["commit"]},
        )
        assert response.status_code == 404


class TestSearch:
    async def test_finds_the_line_in_the_latest_config_with_context(
        self, stack_admin: AsyncClient, two_versions
    ) -> None:
        device, [new, _] = two_versions
        response = await stack_admin.get("/api/configs/search", params={"q": CHANGED.upper()})
        assert response.status_code == 200, response.text
        [result] = [r for r in response.json() if r["device_id"] == device["id"]]
        assert (result["hostname"], result["commit"]) == (device["hostname"], new["commit"])
        [match] = result["matches"]
        assert (
            match["line"] == CHANGED
            and match["before"] == ["ntp authenticate", "ntp trusted-key 1"]
            and match["after"] == ["!", "end"]
        )

    async def test_an_old_line_is_not_found_in_the_latest_config(
        self, stack_admin: AsyncClient, two_versions
    ) -> None:
        device, _ = two_versions
        response = await stack_admin.get(
            "/api/configs/search", params={"q": "ntp server 10.99.0.1 key"}
        )
        assert device["id"] not in {r["device_id"] for r in response.json()}
