"""Backups through a jump host and over Telnet with `BackupService`, on the real NATS and
PostgreSQL: the worker reads the jump host with the device (its own or its tag's), logs in to the
lab's bastion with the bastion's credential, and reports a failure at the bastion as the
bastion's."""

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from uuid import UUID

import pytest
from httpx import AsyncClient
from netraven_lab import Lab, LabBastion, generate_config, make_lab_profiles
from netraven_shared.events import JobDispatched
from netraven_worker.reachability import ReachabilityService

from tests.fixtures.factories import create_credential, create_tag, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.worker.bus_capture import captured
from tests.worker.trust import back_up_once, backup_service, engine_of, worker_settings

pytestmark = pytest.mark.timeout(120)

HIDDEN = ("10.255.0.7", 22)
BASTION_USER, BASTION_PASSWORD = "jump", "bastion-Password-1"


@pytest.fixture(scope="module")
async def device_lab() -> AsyncIterator[Lab]:
    ssh, telnet = make_lab_profiles(
        2, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE
    )
    telnet = dataclasses.replace(
        telnet,
        hostname="telnet-sw-01",
        config_text=generate_config("telnet-sw-01", 2048),
        telnet=True,
    )
    async with Lab([ssh, telnet]) as lab:
        yield lab


@pytest.fixture
async def bastion(device_lab: Lab) -> AsyncIterator[LabBastion]:
    routes = {HIDDEN: (device_lab.host, device_lab.profiles[0].port)}
    async with LabBastion(BASTION_USER, BASTION_PASSWORD, routes) as running:
        yield running


async def jump_host(admin: AsyncClient, bastion: LabBastion, password: str) -> dict:
    credential = await create_credential(
        admin, unique("bastion-only"), password, username=BASTION_USER
    )
    body = {
        "name": unique("bastion"),
        "address": bastion.host,
        "port": bastion.port,
        "credential_id": credential["id"],
        "host_key": bastion.host_key_line,
    }
    response = await admin.post("/api/jump-hosts", json=body)
    assert response.status_code == 201, response.text
    return response.json() | {"credential_name": credential["name"]}


async def hidden_device(admin: AsyncClient, tag: str, **fields) -> dict:
    body = {
        "hostname": unique("hidden"),
        "ip_address": HIDDEN[0],
        "port": HIDDEN[1],
        "device_type": "cisco_ios",
        "tags": [tag],
    } | fields
    response = await admin.post("/api/devices", json=body)
    assert response.status_code == 201, response.text
    return response.json()


class TestThroughAJumpHost:
    async def test_a_device_behind_its_tags_jump_host_is_backed_up(
        self, admin, sessions, infra, broker, device_lab: Lab, bastion: LabBastion
    ) -> None:
        jump = await jump_host(admin, bastion, BASTION_PASSWORD)
        tag = await create_tag(admin, unique("behind"))
        await admin.patch(f"/api/tags/{tag['id']}", json={"jump_host_id": jump["id"]})
        await create_credential(admin, tag["name"], LAB_PASSWORD, LAB_ENABLE)
        device = await hidden_device(admin, tag["name"])
        service = backup_service(sessions, broker, infra)

        outcome = await back_up_once(admin, service, broker, device["id"])

        assert outcome.backed_up is not None, outcome.events
        assert bastion.forwarded == [HIDDEN]
        assert bastion.auth_attempts == [(BASTION_USER, BASTION_PASSWORD)]
        assert device_lab.auth_attempts(device_lab.profiles[0].hostname)[-1] == (
            LAB_USERNAME,
            LAB_PASSWORD,
        )

    async def test_a_wrong_bastion_credential_is_reported_as_the_bastions(
        self, admin, sessions, infra, broker, bastion: LabBastion
    ) -> None:
        jump = await jump_host(admin, bastion, "not-the-Password-1")
        tag = unique("behind")
        await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
        device = await hidden_device(admin, tag, jump_host_id=jump["id"])
        service = backup_service(sessions, broker, infra)

        outcome = await back_up_once(admin, service, broker, device["id"])

        assert outcome.failed is not None, outcome.events
        assert outcome.failed["error"] == (
            f"jump host '{jump['name']}' (127.0.0.1:{bastion.port}): "
            f"authentication failed with credential '{jump['credential_name']}'"
        )
        assert [line["log_type"] for line in outcome.log_lines("error")] == ["connection"]
        assert bastion.forwarded == []


class TestReachabilityBehindAJumpHost:
    async def check(self, admin, sessions, infra, broker, device: dict) -> dict:
        accepted = await admin.post(f"/api/devices/{device['id']}/reachability")
        assert accepted.status_code in (200, 201, 202), accepted.text
        run_id = accepted.json()["run_id"]
        dispatch = JobDispatched(
            run_id=UUID(run_id),
            device_id=UUID(device["id"]),
            trigger="manual",
            kind="reachability",
        )
        service = ReachabilityService(engine_of(sessions), broker, worker_settings(infra))
        async with captured(broker, "netraven.>") as events:
            await service.check(dispatch)
            for _ in range(100):
                found = [e for e in events if e.get("run_id") == run_id and "reachable" in e]
                if found:
                    return found[0]
                await asyncio.sleep(0.05)
        raise AssertionError(f"no reachability result among {events}")

    async def test_the_jump_host_is_probed_not_the_hidden_address(
        self, admin, sessions, infra, broker, bastion: LabBastion
    ) -> None:
        jump = await jump_host(admin, bastion, BASTION_PASSWORD)
        device = await hidden_device(admin, unique("behind"), jump_host_id=jump["id"])
        checked = await self.check(admin, sessions, infra, broker, device)
        assert checked["reachable"] is True, checked
        assert bastion.auth_attempts == []  # a TCP connect, no login

    async def test_an_unreachable_jump_host_is_named(
        self, admin, sessions, infra, broker, bastion: LabBastion, closed_port: int
    ) -> None:
        jump = await jump_host(admin, bastion, BASTION_PASSWORD)
        await admin.patch(f"/api/jump-hosts/{jump['id']}", json={"port": closed_port})
        device = await hidden_device(admin, unique("behind"), jump_host_id=jump["id"])
        checked = await self.check(admin, sessions, infra, broker, device)
        assert checked["reachable"] is False
        assert checked["error"] == (
            f"jump host '{jump['name']}' (127.0.0.1:{closed_port}): connection refused"
        )


class TestTelnet:
    async def telnet_device(self, admin, device_lab: Lab) -> dict:
        tag = unique("telnet")
        await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
        body = {
            "hostname": unique("telnet"),
            "ip_address": device_lab.host,
            "port": device_lab.profile("telnet-sw-01").port,
            "device_type": "cisco_ios",
            "transport": "telnet",
            "tags": [tag],
        }
        response = await admin.post("/api/devices", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    async def test_a_telnet_device_is_backed_up(
        self, admin, sessions, infra, broker, device_lab: Lab
    ) -> None:
        device = await self.telnet_device(admin, device_lab)
        service = backup_service(sessions, broker, infra)
        outcome = await back_up_once(admin, service, broker, device["id"])
        assert outcome.backed_up is not None, outcome.events
        assert outcome.backed_up["host_key"] is None

    async def test_telnet_is_refused_in_strict_mode(
        self, admin, sessions, infra, broker, device_lab: Lab
    ) -> None:
        device = await self.telnet_device(admin, device_lab)
        before = len(device_lab.auth_attempts("telnet-sw-01"))
        service = backup_service(sessions, broker, infra, host_key_policy="strict")
        outcome = await back_up_once(admin, service, broker, device["id"])
        assert outcome.failed is not None, outcome.events
        assert "Telnet is refused in strict mode: " in outcome.failed["error"]
        assert len(device_lab.auth_attempts("telnet-sw-01")) == before
