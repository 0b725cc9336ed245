"""Host-key pinning through `BackupService`, on the real NATS, PostgreSQL and the SSH simulator:
the worker learns a device's key, verifies it before any password is sent, and stops at once on a
change."""

from collections.abc import AsyncIterator

import asyncssh
import pytest
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from netraven_shared.host_keys import HostKey

from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.worker.trust import back_up_once, backup_service, pin_host_key

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
async def device_lab() -> AsyncIterator[Lab]:
    """Devices of this test alone: it changes their host keys."""
    async with Lab(
        make_lab_profiles(1, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE)
    ) as lab:
        yield lab


async def lab_device(admin, lab: Lab) -> dict:
    tag = unique("hostkey")
    await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
    return await create_device(admin, lab.profiles[0].port, tag)


def presented(lab: Lab, index: int = 0) -> HostKey:
    return HostKey.parse(lab.host_keys(lab.profiles[0].hostname)[index])


class TestTrustOnFirstUse:
    async def test_the_key_is_learned_verified_and_a_change_stops_the_backup_before_any_password(
        self, admin, sessions, infra, broker, device_lab: Lab
    ) -> None:
        hostname = device_lab.profiles[0].hostname
        device = await lab_device(admin, device_lab)
        service = backup_service(sessions, broker, infra)

        first = await back_up_once(admin, service, broker, device["id"])
        assert first.backed_up is not None, first.events
        assert HostKey(**first.backed_up["host_key"]) == presented(device_lab)

        await pin_host_key(sessions, device["id"], presented(device_lab))
        second = await back_up_once(admin, service, broker, device["id"])
        assert HostKey(**second.backed_up["host_key"]) == presented(device_lab)

        pinned = presented(device_lab)
        await device_lab.set_host_keys(hostname, asyncssh.generate_private_key("ssh-ed25519"))
        attempts_before = device_lab.auth_attempts(hostname)

        changed = await back_up_once(admin, service, broker, device["id"])

        assert device_lab.auth_attempts(hostname) == attempts_before, (
            "no password may reach a device whose key changed"
        )
        failed = changed.failed
        assert failed is not None and changed.backed_up is None
        assert HostKey(**failed["offered_host_key"]) == presented(device_lab)
        assert failed["error"] == (
            f"host key changed: was {pinned.fingerprint}, now "
            f"{presented(device_lab).fingerprint}; an admin must accept the new key"
        )
        assert failed["attempts"] == 1, "a changed key is not retried"
        errors = changed.log_lines("error")
        assert [line["log_type"] for line in errors] == ["connection"]
        assert presented(device_lab).fingerprint in errors[0]["message"]

        await pin_host_key(
            sessions, device["id"], HostKey(**failed["offered_host_key"]), by="admin"
        )
        accepted = await back_up_once(admin, service, broker, device["id"])
        assert accepted.backed_up is not None, accepted.events
        assert HostKey(**accepted.backed_up["host_key"]) == presented(device_lab)

    async def test_a_device_with_several_keys_is_verified_against_the_pinned_type(
        self, admin, sessions, infra, broker, device_lab: Lab
    ) -> None:
        """paramiko would pick Ed25519 first; a pinned RSA key must still be the one negotiated."""
        hostname = device_lab.profiles[0].hostname
        await device_lab.set_host_keys(
            hostname,
            asyncssh.generate_private_key("ssh-ed25519"),
            asyncssh.generate_private_key("ssh-rsa", key_size=2048),
        )
        device = await lab_device(admin, device_lab)
        service = backup_service(sessions, broker, infra)

        first = await back_up_once(admin, service, broker, device["id"])
        assert HostKey(**first.backed_up["host_key"]) == presented(device_lab, 0), (
            "with nothing pinned the client's first choice"
        )

        await pin_host_key(sessions, device["id"], presented(device_lab, 1))
        verified = await back_up_once(admin, service, broker, device["id"])
        assert verified.backed_up is not None, verified.events
        assert HostKey(**verified.backed_up["host_key"]) == presented(device_lab, 1)


class TestStrictPinning:
    async def test_a_device_with_nothing_pinned_gets_no_password_and_its_key_is_reported(
        self, admin, sessions, infra, broker, device_lab: Lab
    ) -> None:
        hostname = device_lab.profiles[0].hostname
        device = await lab_device(admin, device_lab)
        service = backup_service(sessions, broker, infra, host_key_policy="strict")

        refused = await back_up_once(admin, service, broker, device["id"])

        assert device_lab.auth_attempts(hostname) == []
        assert HostKey(**refused.failed["offered_host_key"]) == presented(device_lab)
        assert refused.failed["error"] == (
            f"no host key pinned for {device['hostname']} and pinning is strict: "
            f"an admin must accept {presented(device_lab).fingerprint} or pre-load the key"
        )
        assert [line["log_type"] for line in refused.log_lines("error")] == ["connection"]

        await pin_host_key(sessions, device["id"], presented(device_lab), by="import")
        preloaded = await back_up_once(admin, service, broker, device["id"])
        assert preloaded.backed_up is not None, preloaded.events
        assert device_lab.auth_attempts(hostname) == [(LAB_USERNAME, LAB_PASSWORD)]
