"""The walking skeleton, end to end: five service processes, real NATS and PostgreSQL, the
SSH simulator, Netmiko, git."""

import asyncio
import re

import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab

from tests.e2e.runs import back_up, wait_for_logs
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD

pytestmark = pytest.mark.e2e


def secrets_in(config: str) -> list[str]:
    patterns = (
        r"^snmp-server community (\S+)",
        r"^enable secret \d (\S+)",
        r"^username \S+ .*(?:password|secret) \d (\S+)",
    )
    return [m for p in patterns for m in re.findall(p, config, re.MULTILINE)]


@pytest.fixture(scope="module")
async def lab_device(stack_admin: AsyncClient, lab: Lab) -> dict:
    tag = unique("e2e")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    profile = lab.profiles[0]
    return await create_device(stack_admin, profile.port, tag, hostname=profile.hostname)


class TestBackupRun:
    async def test_run_succeeds_and_the_config_is_committed_redacted(
        self, stack_admin: AsyncClient, lab: Lab, lab_device: dict
    ) -> None:
        run = await back_up(stack_admin, lab_device["id"])
        assert run["status"] == "succeeded", run
        assert [r["status"] for r in run["results"]] == ["succeeded"]

        versions = (await stack_admin.get(f"/api/devices/{lab_device['id']}/configs")).json()
        assert len(versions) == 1
        stored = (
            await stack_admin.get(
                f"/api/devices/{lab_device['id']}/configs/{versions[0]['commit']}"
            )
        ).json()["text"]
        original = lab.profile(lab_device["hostname"]).config_text
        assert f"hostname {lab_device['hostname']}" in stored
        assert secrets_in(original), "the simulator's config should carry secrets"
        assert not [s for s in secrets_in(original) if s in stored]
        assert "<redacted>" in stored

    async def test_an_unchanged_config_adds_no_commit(
        self, stack_admin: AsyncClient, lab_device: dict
    ) -> None:
        run = await back_up(stack_admin, lab_device["id"])
        assert run["status"] == "succeeded"
        assert len((await stack_admin.get(f"/api/devices/{lab_device['id']}/configs")).json()) == 1

    async def test_a_changed_config_adds_a_version(
        self, stack_admin: AsyncClient, lab: Lab, lab_device: dict
    ) -> None:
        hostname = lab_device["hostname"]
        lab.set_config(
            hostname,
            lab.profile(hostname).config_text.replace(
                "\nend", "\ninterface Loopback99\n description added by test\nend"
            ),
        )
        run = await back_up(stack_admin, lab_device["id"])
        assert run["status"] == "succeeded"
        versions = (await stack_admin.get(f"/api/devices/{lab_device['id']}/configs")).json()
        assert len(versions) == 2
        newest = (
            await stack_admin.get(
                f"/api/devices/{lab_device['id']}/configs/{versions[0]['commit']}"
            )
        ).json()
        assert "description added by test" in newest["text"]

    async def test_the_run_is_in_the_unified_log(
        self, stack_admin: AsyncClient, lab_device: dict
    ) -> None:
        run = await back_up(stack_admin, lab_device["id"])
        logs = await wait_for_logs(
            stack_admin,
            {"run_id": run["id"]},
            lambda items: {"worker", "gitkeeper"} <= {e["source"] for e in items},
        )
        assert any("config collected as credential" in entry["message"] for entry in logs)


class TestWrongPassword:
    async def test_the_result_fails_with_a_clear_error(
        self, stack_admin: AsyncClient, lab: Lab
    ) -> None:
        tag = unique("wrong")
        await create_credential(stack_admin, tag, "not-the-password")
        device = await create_device(stack_admin, lab.profiles[1].port, tag)
        run = await back_up(stack_admin, device["id"])
        assert run["status"] == "failed"
        assert "authentication failed with every credential" in run["results"][0]["error"]
        await wait_for_logs(
            stack_admin,
            {"run_id": run["id"], "level": "error"},
            lambda items: any("authentication failed" in e["message"] for e in items),
        )

    async def test_a_wrong_enable_secret_fails_and_says_so(
        self, stack_admin: AsyncClient, lab: Lab
    ) -> None:
        tag = unique("enable")
        await create_credential(stack_admin, tag, LAB_PASSWORD, "not-the-enable-secret")
        device = await create_device(stack_admin, lab.profiles[3].port, tag)
        run = await back_up(stack_admin, device["id"])
        assert run["status"] == "failed"
        assert "enable mode was refused" in run["results"][0]["error"]


class TestCredentialFigures:
    async def test_the_working_credential_is_counted_per_backup_and_the_refused_one_not_resent(
        self, stack_admin: AsyncClient, lab: Lab
    ) -> None:
        tag = unique("figures")
        wrong = await create_credential(stack_admin, tag, "not-the-password", priority=10)
        right = await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE, priority=20)
        device = await create_device(stack_admin, lab.profiles[1].port, tag)
        for _ in range(2):
            run = await back_up(stack_admin, device["id"])
            assert run["status"] == "succeeded"
            assert run["results"][0]["credential_id"] == right["id"]

        async def figures() -> dict:
            return {c["id"]: c for c in (await stack_admin.get("/api/credentials")).json()}

        deadline = asyncio.get_running_loop().time() + 15
        while (await figures())[right["id"]][
            "success_count"
        ] < 2 and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.3)
        counted = await figures()
        assert (counted[right["id"]]["success_count"], counted[right["id"]]["failure_count"]) == (
            2,
            0,
        )
        # refused on first contact only: from then on the device's bound credential is the only one
        # sent
        assert (counted[wrong["id"]]["success_count"], counted[wrong["id"]]["failure_count"]) == (
            0,
            1,
        )
        assert counted[right["id"]]["last_success_at"] is not None
