"""The stack's gitkeeper mirrors its repository to a bare repository over file://: a lab device's
backup reaches the remote; with the remote gone, backups go on, the status says failing with the
commits waiting and `MirrorPushFailed` is published; when it returns, the commits go out and
`MirrorPushRecovered` is published."""

import asyncio
import subprocess
from pathlib import Path

import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab

from tests.e2e.runs import back_up
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.fixtures.stack import Stack
from tests.gitkeeper.mirrors import eventually, heard_about

pytestmark = pytest.mark.e2e


def holds(remote: Path, commit: str) -> bool:
    done = subprocess.run(
        ["git", "-C", str(remote), "merge-base", "--is-ancestor", commit, "refs/heads/main"],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


async def the_mirror(client: AsyncClient) -> dict:
    response = await client.get("/api/mirrors")
    assert response.status_code == 200, response.text
    [mirror] = [m for m in response.json()["items"] if m["name"] == "mirror"]
    return mirror


async def backed_up_commit(client: AsyncClient, device: dict) -> str:
    assert (await back_up(client, device["id"]))["status"] == "succeeded"
    return (await client.get(f"/api/devices/{device['id']}/configs")).json()[0]["commit"]


class TestMirrorFlow:
    async def test_backups_reach_the_mirror_and_an_outage_shows_and_recovers(
        self, stack: Stack, stack_admin: AsyncClient, lab: Lab, infra: Infra
    ) -> None:
        tag = unique("mirror")
        await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
        profile = lab.profiles[1]
        device = await create_device(stack_admin, profile.port, tag)
        first = await backed_up_commit(stack_admin, device)
        await eventually(lambda: asyncio.to_thread(holds, stack.mirror, first), bool)
        ok = await eventually(lambda: the_mirror(stack_admin), lambda m: m["state"] == "ok")
        assert ok["remote"] == f"file://{stack.mirror}" and ok["last_error"] is None

        away = stack.mirror.with_name("mirror-away.git")
        async with heard_about(infra, "mirror") as heard:
            stack.mirror.rename(away)
            try:
                lab.set_config(profile.hostname, profile.config_text + "ntp server 10.9.9.9\n")
                second = await backed_up_commit(stack_admin, device)
            finally:
                lab.set_config(profile.hostname, profile.config_text)
            failing = await eventually(
                lambda: the_mirror(stack_admin),
                lambda m: m["state"] == "failing" and m["commits_waiting"] >= 1,
            )
            assert "does not appear to be a git repository" in failing["last_error"]
            assert failing["failing_since"] is not None

            away.rename(stack.mirror)
            await eventually(lambda: asyncio.to_thread(holds, stack.mirror, second), bool)
            recovered = await eventually(
                lambda: the_mirror(stack_admin), lambda m: m["state"] == "ok"
            )
            await eventually(lambda: _now(heard.recovered), bool)
        assert recovered["commits_waiting"] == 0 and recovered["failing_since"] is None
        assert len(heard.failed) >= 1 and heard.failed[0].commits_waiting >= 1
        assert holds(stack.mirror, heard.recovered[0].commit)


async def _now(value: list) -> list:
    return value
