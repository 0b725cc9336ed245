"""Devices given by DNS name: resolved at each session, checked against the management networks by
the resolved address, which the run records; a name that does not resolve is a connection
failure, tried again like one."""

import asyncio
from uuid import UUID

import pytest
from netraven_lab.lab import Lab
from netraven_shared.events import JobDispatched, subjects
from netraven_worker.address import CannotResolve, resolve
from netraven_worker.guard import RetryLater
from netraven_worker.reachability import ReachabilityService

from tests.fixtures.factories import create_credential, create_device, create_job, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.worker.bus_capture import captured
from tests.worker.trust import (
    back_up_once,
    backup_service,
    engine_of,
    management_networks,
    worker_settings,
)

pytestmark = pytest.mark.timeout(120)
UNRESOLVABLE = "no-such-device.invalid"


async def device_named(admin, lab: Lab, address: str) -> dict:
    tag = unique("dns")
    await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
    return await create_device(admin, lab.profiles[0].port, tag, ip_address=address)


class TestResolve:
    async def test_an_address_is_itself(self) -> None:
        assert await resolve("192.0.2.7", 5) == "192.0.2.7"

    async def test_localhost_resolves_to_loopback(self) -> None:
        assert await resolve("localhost", 5) == "127.0.0.1"

    async def test_an_unknown_name_says_it_cannot_be_resolved(self) -> None:
        with pytest.raises(CannotResolve, match=f"^cannot resolve {UNRESOLVABLE}: "):
            await resolve(UNRESOLVABLE, 5)


class TestBackup:
    async def test_a_device_given_by_name_is_backed_up_and_its_address_recorded(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        device = await device_named(admin, lab, "localhost")
        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, device["id"]
        )
        assert outcome.backed_up is not None, outcome.events
        assert outcome.backed_up["resolved_address"] == "127.0.0.1"

    async def test_a_device_given_by_address_records_none(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        device = await device_named(admin, lab, "127.0.0.1")
        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, device["id"]
        )
        assert outcome.backed_up is not None, outcome.events
        assert outcome.backed_up["resolved_address"] is None

    async def test_a_name_that_does_not_resolve_fails_after_its_attempts(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        device = await device_named(admin, lab, UNRESOLVABLE)
        service = backup_service(sessions, broker, infra, max_attempts=1)
        outcome = await back_up_once(admin, service, broker, device["id"])
        assert outcome.failed is not None, outcome.events
        assert outcome.failed["error"].startswith(
            f"unreachable after 1 attempts: cannot resolve {UNRESOLVABLE}: "
        )
        assert outcome.failed["resolved_address"] is None
        assert not [e for e in outcome.events if e["subject"] == subjects.BACKUP_STARTED]

    async def test_a_name_that_does_not_resolve_is_tried_again(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        device = await device_named(admin, lab, UNRESOLVABLE)
        service = backup_service(sessions, broker, infra, max_attempts=3)
        with pytest.raises(RetryLater):
            await back_up_once(admin, service, broker, device["id"])

    async def test_the_management_networks_test_the_resolved_address(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        device = await device_named(admin, lab, "localhost")
        attempts_before = lab.auth_attempts(lab.profiles[0].hostname)
        service = backup_service(sessions, broker, infra)
        async with management_networks(sessions, "10.201.0.0/16"):
            outside = await back_up_once(admin, service, broker, device["id"])
        assert outside.failed["error"] == (
            "127.0.0.1 is outside the management networks (10.201.0.0/16): no credential was sent"
        )
        assert outside.failed["resolved_address"] == "127.0.0.1"
        assert lab.auth_attempts(lab.profiles[0].hostname) == attempts_before
        async with management_networks(sessions, "127.0.0.0/8"):
            inside = await back_up_once(admin, service, broker, device["id"])
        assert inside.backed_up is not None, inside.events


class TestReachability:
    async def check(self, admin, sessions, infra, broker, device: dict) -> dict:
        job = await create_job(admin, [device["id"]])
        run_id = UUID((await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"])
        dispatch = JobDispatched(
            run_id=run_id,
            job_id=UUID(job["id"]),
            device_id=UUID(device["id"]),
            trigger="manual",
            kind="reachability",
        )
        service = ReachabilityService(engine_of(sessions), broker, worker_settings(infra))
        async with captured(broker, subjects.REACHABILITY_CHECKED) as events:
            await service.check(dispatch)
            for _ in range(100):
                if events:
                    break
                await asyncio.sleep(0.05)
        assert events
        return events[0]

    async def test_a_name_is_resolved_and_probed(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        device = await device_named(admin, lab, "localhost")
        checked = await self.check(admin, sessions, infra, broker, device)
        assert checked["reachable"] is True, checked

    async def test_a_name_that_does_not_resolve_is_unreachable(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        device = await device_named(admin, lab, UNRESOLVABLE)
        checked = await self.check(admin, sessions, infra, broker, device)
        assert checked["reachable"] is False
        assert checked["error"].startswith(f"cannot resolve {UNRESOLVABLE}: ")
