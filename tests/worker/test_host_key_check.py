"""The host-key check inside one Netmiko session, against the SSH simulator."""

import asyncio
import base64
from uuid import uuid4

import pytest
from netraven_lab.lab import Lab
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.host_keys import HostKey
from netraven_worker.collection import HostKeyNotTrusted, Login, Target
from netraven_worker.session import collect_config
from netraven_worker.timeouts import Timeouts

from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME

TIMEOUTS = Timeouts(connect=10, read=30)


CISCO_IOS = DriverCatalog.load().driver_for("cisco_ios")


def login(password: str) -> Login:
    return Login(
        credential_id=uuid4(),
        name=password,
        username=LAB_USERNAME,
        password=password,
        enable_secret=LAB_ENABLE,
    )


def ssh_dss_key() -> HostKey:
    """A well-formed key of a type paramiko no longer supports."""
    name = b"ssh-dss"
    return HostKey(
        key_type="ssh-dss",
        public_key=base64.b64encode(len(name).to_bytes(4, "big") + name + b"\x00" * 24).decode(),
    )


class TestOneSession:
    async def test_a_key_trusted_on_first_use_is_reported_with_the_login_that_worked(
        self, lab: Lab
    ) -> None:
        profile = lab.profiles[1]
        target = Target(profile.hostname, "127.0.0.1", profile.port, CISCO_IOS)
        collected = await asyncio.to_thread(
            collect_config, target, [login("wrong"), login(LAB_PASSWORD)], TIMEOUTS
        )
        assert collected.login.password == LAB_PASSWORD
        assert collected.host_key == HostKey.parse(lab.host_keys(profile.hostname)[0])

    async def test_a_pinned_key_that_cannot_be_checked_fails_before_connecting(
        self, lab: Lab
    ) -> None:
        profile = lab.profiles[1]
        attempts_before = lab.auth_attempts(profile.hostname)
        target = Target(
            profile.hostname,
            "127.0.0.1",
            profile.port,
            CISCO_IOS,
            pinned_host_key=ssh_dss_key(),
        )

        with pytest.raises(
            HostKeyNotTrusted, match="an admin must pin another of the device's keys"
        ) as refused:
            await asyncio.to_thread(collect_config, target, [login(LAB_PASSWORD)], TIMEOUTS)

        assert refused.value.offered is None
        assert lab.auth_attempts(profile.hostname) == attempts_before
