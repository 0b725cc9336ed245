"""Sessions through the lab's SSH jump host, and over Telnet, against the simulators: what reaches
the device, what reaches the bastion, and how each failure is named."""

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from uuid import uuid4

import asyncssh
import pytest
from netraven_lab import Lab, LabBastion, generate_config, make_lab_profiles
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.host_keys import HostKey
from netraven_worker.collection import (
    AuthenticationFailed,
    DeviceUnreachable,
    HostKeyNotTrusted,
    Login,
    Target,
)
from netraven_worker.jump_host import JumpHost
from netraven_worker.session import JumpHostFailed, TelnetRefused, collect_config
from netraven_worker.timeouts import Timeouts

from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME

CISCO_IOS = DriverCatalog.load().driver_for("cisco_ios")
TIMEOUTS = Timeouts(connect=10, read=30)
HIDDEN = ("10.255.0.1", 22)  # nothing answers there: only the bastion knows where it is
DEVICE_LOGIN = Login(uuid4(), "lab", LAB_USERNAME, LAB_PASSWORD, LAB_ENABLE)
BASTION_USER, BASTION_PASSWORD = "jump", "bastion-password"


@pytest.fixture(scope="module")
async def hidden_lab() -> AsyncIterator[Lab]:
    profiles = make_lab_profiles(
        2, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE
    )
    telnet = dataclasses.replace(
        profiles[1],
        hostname="telnet-rtr-01",
        config_text=generate_config("telnet-rtr-01", 2048),
        telnet=True,
    )
    async with Lab([profiles[0], telnet]) as running:
        yield running


@pytest.fixture
async def bastion(hidden_lab: Lab) -> AsyncIterator[LabBastion]:
    device = hidden_lab.profiles[0]
    routes = {HIDDEN: (hidden_lab.host, device.port)}
    async with LabBastion(BASTION_USER, BASTION_PASSWORD, routes) as running:
        yield running


def jump_host(bastion: LabBastion, password: str = BASTION_PASSWORD, **changes) -> JumpHost:
    login = Login(uuid4(), changes.pop("credential", "jump-cred"), BASTION_USER, password, None)
    pinned = HostKey.parse(bastion.host_key_line.split(maxsplit=1)[1])
    fields = {
        "name": "bastion-1",
        "address": bastion.host,
        "port": bastion.port,
        "pinned_host_key": pinned,
        "login": login,
    }
    return JumpHost(**(fields | changes))


def behind(jump: JumpHost, host: str = HIDDEN[0], **changes) -> Target:
    return dataclasses.replace(
        Target("hidden-rtr", host, HIDDEN[1], CISCO_IOS, jump_host=jump), **changes
    )


async def collect(target: Target):
    return await asyncio.to_thread(collect_config, target, [DEVICE_LOGIN], TIMEOUTS)


class TestThroughTheBastion:
    async def test_a_device_only_the_bastion_reaches_is_backed_up(
        self, hidden_lab: Lab, bastion: LabBastion
    ) -> None:
        device = hidden_lab.profiles[0]
        collected = await collect(behind(jump_host(bastion)))
        assert f"hostname {device.hostname}" in collected.raw
        assert bastion.forwarded == [HIDDEN]
        assert bastion.auth_attempts == [(BASTION_USER, BASTION_PASSWORD)]
        # The device's own host key was checked end to end, through the tunnel.
        assert collected.host_key is not None
        assert collected.host_key.openssh() in hidden_lab.host_keys(device.hostname)

    async def test_without_the_bastion_the_device_is_not_reachable(self) -> None:
        target = Target("hidden-rtr", "127.0.0.1", 1, CISCO_IOS)
        with pytest.raises(DeviceUnreachable):
            await collect(target)

    async def test_the_device_key_is_still_checked_through_the_tunnel(
        self, bastion: LabBastion
    ) -> None:
        other = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh")
        pinned = HostKey.parse(other.decode())
        with pytest.raises(HostKeyNotTrusted, match="host key changed"):
            await collect(behind(jump_host(bastion), pinned_host_key=pinned))


class TestFailuresAtTheBastionNameTheBastion:
    async def test_a_wrong_credential(self, hidden_lab: Lab, bastion: LabBastion) -> None:
        before = len(hidden_lab.auth_attempts(hidden_lab.profiles[0].hostname))
        jump = jump_host(bastion, password="wrong", credential="ops")
        expected = (
            f"jump host 'bastion-1' \\(127.0.0.1:{bastion.port}\\): "
            "authentication failed with credential 'ops'"
        )
        with pytest.raises(JumpHostFailed, match=expected):
            await collect(behind(jump))
        assert bastion.forwarded == []
        assert len(hidden_lab.auth_attempts(hidden_lab.profiles[0].hostname)) == before

    async def test_a_key_that_does_not_match_the_pin_gets_nothing(
        self, bastion: LabBastion
    ) -> None:
        other = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh")
        jump = jump_host(bastion, pinned_host_key=HostKey.parse(other.decode()))
        with pytest.raises(JumpHostFailed, match="'bastion-1'.*host key does not match its pin"):
            await collect(behind(jump))
        assert bastion.auth_attempts == []  # not even the bastion's password was sent

    async def test_refused_forwarding(self, bastion: LabBastion) -> None:
        bastion.refuse_forwarding = True
        expected = (
            "jump host 'bastion-1' .*: refused to forward to 10.255.0.1:22 "
            "\\(administratively prohibited\\)"
        )
        with pytest.raises(JumpHostFailed, match=expected):
            await collect(behind(jump_host(bastion)))

    async def test_a_destination_the_bastion_cannot_reach_is_worth_a_retry(
        self, bastion: LabBastion
    ) -> None:
        with pytest.raises(DeviceUnreachable, match="'bastion-1'.*could not reach 10.9.9.9:22"):
            await collect(behind(jump_host(bastion), host="10.9.9.9"))

    async def test_an_unreachable_bastion(self, bastion: LabBastion, closed_port: int) -> None:
        jump = jump_host(bastion, port=closed_port)
        expected = f"jump host 'bastion-1' \\(127.0.0.1:{closed_port}\\): unreachable: "
        with pytest.raises(DeviceUnreachable, match=expected):
            await collect(behind(jump))


class TestTelnet:
    def telnet_target(self, lab: Lab, strict: bool = False) -> Target:
        device = lab.profile("telnet-rtr-01")
        return Target(
            device.hostname,
            lab.host,
            device.port,
            CISCO_IOS,
            transport="telnet",
            strict_host_key=strict,
        )

    async def test_a_telnet_device_is_backed_up(self, hidden_lab: Lab) -> None:
        collected = await collect(self.telnet_target(hidden_lab))
        assert "hostname telnet-rtr-01" in collected.raw
        assert collected.host_key is None  # Telnet proves nothing about the device

    async def test_a_key_pinned_before_is_not_reported_as_verified(self, hidden_lab: Lab) -> None:
        pinned = HostKey.parse(hidden_lab.host_keys(hidden_lab.profiles[0].hostname)[0])
        target = dataclasses.replace(self.telnet_target(hidden_lab), pinned_host_key=pinned)
        assert (await collect(target)).host_key is None

    async def test_a_wrong_password_is_an_authentication_failure(self, hidden_lab: Lab) -> None:
        wrong = dataclasses.replace(DEVICE_LOGIN, password="wrong")
        target = self.telnet_target(hidden_lab)
        with pytest.raises(AuthenticationFailed):
            await asyncio.to_thread(collect_config, target, [wrong], TIMEOUTS)

    async def test_telnet_is_refused_in_strict_mode_before_any_connection(
        self, hidden_lab: Lab
    ) -> None:
        before = len(hidden_lab.auth_attempts("telnet-rtr-01"))
        with pytest.raises(TelnetRefused, match="Telnet is refused in strict mode: "):
            await collect(self.telnet_target(hidden_lab, strict=True))
        assert len(hidden_lab.auth_attempts("telnet-rtr-01")) == before
