"""What the lab lets tests prove about device trust: each device's own host keys, and every password
it was offered."""

from collections.abc import AsyncIterator

import asyncssh
import pytest
from netraven_lab.lab import Lab
from netraven_lab.profiles import DeviceProfile, make_lab_profiles

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def lab() -> AsyncIterator[Lab]:
    async with Lab(make_lab_profiles(2)) as lab:
        yield lab


async def presented_key(
    lab: Lab, profile: DeviceProfile, algorithms: list[str] | None = None
) -> str:
    """The host key the device shows a client that trusts anything (and may prefer some key
    algorithms)."""
    options = {"server_host_key_algs": algorithms} if algorithms else {}
    async with asyncssh.connect(
        lab.host,
        profile.port,
        username=profile.username,
        password=profile.password,
        known_hosts=None,
        **options,
    ) as connection:
        key = connection.get_server_host_key()
    return " ".join(key.export_public_key("openssh").decode().split()[:2])


async def try_password(lab: Lab, profile: DeviceProfile, username: str, password: str) -> bool:
    try:
        async with asyncssh.connect(
            lab.host, profile.port, username=username, password=password, known_hosts=None
        ):
            return True
    except asyncssh.PermissionDenied:
        return False


class TestHostKeys:
    async def test_every_device_presents_the_lab_key_until_given_its_own(self, lab: Lab) -> None:
        first, second = lab.profiles
        assert lab.host_keys(first.hostname) == lab.host_keys(second.hostname)
        assert await presented_key(lab, first) == lab.host_keys(first.hostname)[0]

        own = asyncssh.generate_private_key("ssh-ed25519")
        await lab.set_host_keys(first.hostname, own)

        expected = " ".join(own.export_public_key("openssh").decode().split()[:2])
        assert lab.host_keys(first.hostname) == [expected]
        assert await presented_key(lab, first) == expected
        assert lab.profile(first.hostname).port == first.port, "the device keeps its port"
        assert await presented_key(lab, second) != expected, "the other device keeps the lab key"

    async def test_a_device_with_several_keys_presents_the_one_the_client_prefers(
        self, lab: Lab
    ) -> None:
        profile = lab.profiles[0]
        ed25519, ecdsa = (
            asyncssh.generate_private_key("ssh-ed25519"),
            asyncssh.generate_private_key("ecdsa-sha2-nistp256"),
        )
        await lab.set_host_keys(profile.hostname, ed25519, ecdsa)

        ed25519_line, ecdsa_line = lab.host_keys(profile.hostname)
        assert await presented_key(lab, profile, ["ecdsa-sha2-nistp256"]) == ecdsa_line
        assert await presented_key(lab, profile, ["ssh-ed25519"]) == ed25519_line


class TestAuthAttempts:
    async def test_each_password_offered_is_recorded_in_order_per_device(self, lab: Lab) -> None:
        first, second = lab.profiles
        assert lab.auth_attempts(first.hostname) == []

        assert not await try_password(lab, first, "admin", "guess")
        assert await try_password(lab, first, first.username, first.password)

        assert lab.auth_attempts(first.hostname) == [
            ("admin", "guess"),
            (first.username, first.password),
        ]
        assert lab.auth_attempts(second.hostname) == []

    async def test_attempts_survive_a_change_of_host_key(self, lab: Lab) -> None:
        profile = lab.profiles[0]
        assert await try_password(lab, profile, profile.username, profile.password)
        await lab.set_host_keys(profile.hostname, asyncssh.generate_private_key("ssh-ed25519"))
        assert lab.auth_attempts(profile.hostname) == [(profile.username, profile.password)]
