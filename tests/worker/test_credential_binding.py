"""No credential spraying, through `BackupService` on the real NATS, PostgreSQL and the SSH
simulator: the bound credential alone when it works; other candidates only behind a pinned key, and
never more than `max_credential_attempts` per session."""

from collections.abc import AsyncIterator

import pytest
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from netraven_shared.host_keys import HostKey

from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.worker.trust import back_up_once, backup_service, bind_credential, pin_host_key

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
async def device_lab() -> AsyncIterator[Lab]:
    """A device of this test alone, so its recorded attempts are this test's."""
    async with Lab(
        make_lab_profiles(1, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE)
    ) as lab:
        yield lab


class Candidates:
    """A device in the lab and credentials sharing its tag, each known by its password."""

    def __init__(self, lab: Lab, device: dict, credentials: dict[str, dict]) -> None:
        self.lab, self.device, self.credentials = lab, device, credentials

    @classmethod
    async def create(cls, admin, lab: Lab, passwords_by_priority: dict[int, str]) -> "Candidates":
        tag = unique("binding")
        credentials = {
            password: await create_credential(
                admin, tag, password, LAB_ENABLE, username=LAB_USERNAME, priority=priority
            )
            for priority, password in passwords_by_priority.items()
        }
        return cls(lab, await create_device(admin, lab.profiles[0].port, tag), credentials)

    def id(self, password: str) -> str:
        return self.credentials[password]["id"]

    def passwords_sent(self) -> list[str]:
        return [password for _, password in self.lab.auth_attempts(self.lab.profiles[0].hostname)]

    async def pin_lab_key(self, sessions) -> None:
        await pin_host_key(
            sessions,
            self.device["id"],
            HostKey.parse(self.lab.host_keys(self.lab.profiles[0].hostname)[0]),
        )


class TestBoundCredential:
    async def test_it_is_the_only_one_sent_though_others_sort_first(
        self, admin, sessions, infra, broker, device_lab
    ) -> None:
        devices = await Candidates.create(
            admin, device_lab, {1: "wrong-1", 2: "wrong-2", 50: LAB_PASSWORD}
        )
        await bind_credential(sessions, devices.device["id"], devices.id(LAB_PASSWORD))
        await devices.pin_lab_key(sessions)

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, devices.device["id"]
        )

        assert outcome.backed_up is not None, outcome.events
        assert devices.passwords_sent() == [LAB_PASSWORD]
        assert outcome.backed_up["credential_id"] == devices.id(LAB_PASSWORD)
        assert outcome.backed_up["refused_credential_ids"] == []

    async def test_the_operator_log_has_one_line_naming_it(
        self, admin, sessions, infra, broker, device_lab
    ) -> None:
        devices = await Candidates.create(admin, device_lab, {50: LAB_PASSWORD})
        name = devices.credentials[LAB_PASSWORD]["name"]
        service = backup_service(sessions, broker, infra)

        outcome = await back_up_once(admin, service, broker, devices.device["id"])

        assert outcome.backed_up is not None, outcome.events
        size = outcome.backed_up["size_bytes"]
        lines = [
            (line["log_type"], line["message"], line["extra"]["credential_id"])
            for line in outcome.log_lines()
        ]
        expected = (
            f"{devices.device['hostname']}: config collected as credential '{name}' "
            f"with its password ({size} bytes, secrets redacted)"
        )
        assert lines == [("job", expected, devices.id(LAB_PASSWORD))]

    async def test_refused_behind_a_pinned_key_the_others_follow_up_to_the_limit(
        self, admin, sessions, infra, broker, device_lab
    ) -> None:
        devices = await Candidates.create(
            admin, device_lab, {1: "wrong-1", 2: "wrong-2", 3: LAB_PASSWORD, 50: "wrong-bound"}
        )
        await bind_credential(sessions, devices.device["id"], devices.id("wrong-bound"))
        await devices.pin_lab_key(sessions)

        capped = await back_up_once(
            admin,
            backup_service(sessions, broker, infra, max_credential_attempts=3),
            broker,
            devices.device["id"],
        )

        assert devices.passwords_sent() == ["wrong-bound", "wrong-1", "wrong-2"]
        assert capped.failed["refused_credential_ids"] == [
            devices.id(p) for p in ("wrong-bound", "wrong-1", "wrong-2")
        ]
        assert capped.failed["error"].endswith(
            "1 other credential was not tried: at most 3 per session "
            "(NETRAVEN_MAX_CREDENTIAL_ATTEMPTS)"
        )
        refused_lines = [
            line for line in capped.log_lines("warning") if "was refused" in line["message"]
        ]
        assert [line["extra"]["credential_id"] for line in refused_lines] == capped.failed[
            "refused_credential_ids"
        ]

        allowed = await back_up_once(
            admin,
            backup_service(sessions, broker, infra, max_credential_attempts=4),
            broker,
            devices.device["id"],
        )

        assert allowed.backed_up["credential_id"] == devices.id(LAB_PASSWORD)
        assert devices.passwords_sent()[3:] == ["wrong-bound", "wrong-1", "wrong-2", LAB_PASSWORD]

    async def test_refused_behind_a_key_trusted_on_first_use_no_other_is_tried(
        self, admin, sessions, infra, broker, device_lab
    ) -> None:
        devices = await Candidates.create(admin, device_lab, {1: LAB_PASSWORD, 50: "wrong-bound"})
        await bind_credential(sessions, devices.device["id"], devices.id("wrong-bound"))

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, devices.device["id"]
        )

        assert devices.passwords_sent() == ["wrong-bound"]
        assert outcome.failed["refused_credential_ids"] == [devices.id("wrong-bound")]
        assert (
            "1 other credential was not tried: the device's host key is not pinned yet"
            in outcome.failed["error"]
        )


class TestFirstContact:
    async def test_candidates_are_tried_in_order_up_to_the_limit(
        self, admin, sessions, infra, broker, device_lab
    ) -> None:
        devices = await Candidates.create(
            admin, device_lab, {1: "wrong-1", 2: "wrong-2", 3: "wrong-3", 4: LAB_PASSWORD}
        )

        outcome = await back_up_once(
            admin,
            backup_service(sessions, broker, infra, max_credential_attempts=3),
            broker,
            devices.device["id"],
        )

        assert devices.passwords_sent() == ["wrong-1", "wrong-2", "wrong-3"]
        assert outcome.failed is not None and outcome.backed_up is None
        assert "1 other credential was not tried" in outcome.failed["error"]

    async def test_the_one_that_works_is_reported_for_binding(
        self, admin, sessions, infra, broker, device_lab
    ) -> None:
        devices = await Candidates.create(admin, device_lab, {1: "wrong-1", 2: LAB_PASSWORD})

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, devices.device["id"]
        )

        assert devices.passwords_sent() == ["wrong-1", LAB_PASSWORD]
        assert outcome.backed_up["credential_id"] == devices.id(LAB_PASSWORD)
        assert outcome.backed_up["refused_credential_ids"] == [devices.id("wrong-1")]
