"""Devices outside the management networks get no session and no probe: nothing reaches them."""

import asyncio
from uuid import UUID

from netraven_lab.lab import Lab
from netraven_shared.events import JobDispatched, subjects
from netraven_shared.management_scope import outside_management_networks
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


class TestOutside:
    def test_no_network_defined_restricts_nothing(self) -> None:
        assert outside_management_networks("10.9.9.9", []) is None

    def test_an_address_in_any_network_is_inside(self) -> None:
        assert outside_management_networks("10.1.2.3", ["192.168.0.0/16", "10.1.0.0/16"]) is None
        assert outside_management_networks("2001:db8::7", ["10.0.0.0/8", "2001:db8::/32"]) is None

    def test_an_address_in_none_says_which_networks_it_missed(self) -> None:
        assert outside_management_networks("10.9.9.9", ["10.1.0.0/16", "2001:db8::/32"]) == (
            "10.9.9.9 is outside the management networks (10.1.0.0/16, 2001:db8::/32)"
        )

    def test_a_name_that_is_no_address_is_outside(self) -> None:
        assert outside_management_networks("core-sw-01", ["10.0.0.0/8"]) is not None

    def test_a_long_list_is_shortened(self) -> None:
        networks = [f"10.{n}.0.0/16" for n in range(8)]
        assert outside_management_networks("192.0.2.1", networks).endswith("10.4.0.0/16, …)")


class TestBackup:
    async def test_outside_no_session_is_opened_and_no_credential_sent(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        tag = unique("mgmt")
        await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
        profile = lab.profiles[0]
        device = await create_device(admin, profile.port, tag)
        attempts_before = lab.auth_attempts(profile.hostname)
        service = backup_service(sessions, broker, infra)

        async with management_networks(sessions, "10.200.0.0/16", "192.0.2.0/24"):
            outside = await back_up_once(admin, service, broker, device["id"])

        assert (
            outside.failed["error"]
            == "127.0.0.1 is outside the management networks (10.200.0.0/16, 192.0.2.0/24): "
            "no credential was sent"
        )
        assert not [e for e in outside.events if e["subject"] == subjects.BACKUP_STARTED]
        assert lab.auth_attempts(profile.hostname) == attempts_before
        assert [line["log_type"] for line in outside.log_lines("error")] == ["connection"]

        async with management_networks(sessions, "127.0.0.0/8"):
            inside = await back_up_once(admin, service, broker, device["id"])
        assert inside.backed_up is not None, inside.events


class TestReachability:
    async def test_outside_the_device_is_not_probed(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        device = await create_device(admin, lab.profiles[0].port, unique("mgmt-probe"))
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

        async with (
            management_networks(sessions, "10.200.0.0/16"),
            captured(broker, subjects.REACHABILITY_CHECKED) as events,
        ):
            await service.check(dispatch)
            for _ in range(100):
                if events:
                    break
                await asyncio.sleep(0.05)

        assert events and events[0]["reachable"] is False
        assert (
            events[0]["error"]
            == "127.0.0.1 is outside the management networks (10.200.0.0/16): it was not probed"
        )
