"""Real Netmiko cisco_ios sessions, each in a thread as the worker will run them."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from netmiko import ConnectHandler, NetmikoAuthenticationException
from netraven_lab.lab import Lab
from netraven_lab.profiles import DeviceProfile, make_lab_profiles

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def lab() -> AsyncIterator[Lab]:
    async with Lab(make_lab_profiles(10)) as lab:
        yield lab


def _connect(host: str, profile: DeviceProfile, **overrides: Any) -> Any:
    params = {
        "device_type": "cisco_ios",
        "host": host,
        "port": profile.port,
        "username": profile.username,
        "password": profile.password,
        "secret": profile.enable_secret,
        "conn_timeout": 5,
    }
    return ConnectHandler(**(params | overrides))


def _backup(host: str, profile: DeviceProfile) -> str:
    with _connect(host, profile) as connection:
        connection.enable()
        return connection.send_command("show running-config")


class TestBackup:
    async def test_enable_and_show_running_config_returns_the_config(self, lab: Lab) -> None:
        profile = lab.profiles[0]
        output = await asyncio.to_thread(_backup, lab.host, profile)
        assert output.startswith("Building configuration...\n\nCurrent configuration : ")
        assert profile.config_text.rstrip() in output
        assert "enable secret 5 $1$" in output
        assert "snmp-server community S3cr3tRO RO" in output
        assert "lab-rtr-01#" not in output

    async def test_ten_devices_back_up_concurrently(self, lab: Lab) -> None:
        outputs = await asyncio.gather(
            *(asyncio.to_thread(_backup, lab.host, profile) for profile in lab.profiles)
        )
        for profile, output in zip(lab.profiles, outputs, strict=True):
            assert f"\nhostname {profile.hostname}\n" in output

    async def test_a_changed_config_shows_up_in_the_next_session(self, lab: Lab) -> None:
        profile = lab.profiles[3]
        before = await asyncio.to_thread(_backup, lab.host, profile)
        lab.set_config(profile.hostname, profile.config_text.replace("Users", "Guests"))
        after = await asyncio.to_thread(_backup, lab.host, profile)
        assert " description Users\n" in before
        assert " description Guests\n" in after

    async def test_a_200_kb_config_arrives_intact(self) -> None:
        async with Lab(make_lab_profiles(1, config_bytes=200_000)) as lab:
            profile = lab.profiles[0]
            output = await asyncio.to_thread(_backup, lab.host, profile)
        assert profile.config_text.rstrip() in output


class TestFailures:
    async def test_wrong_password_is_an_authentication_failure(self, lab: Lab) -> None:
        with pytest.raises(NetmikoAuthenticationException):
            await asyncio.to_thread(_connect, lab.host, lab.profiles[0], password="wrong")

    async def test_wrong_enable_secret_fails_to_enter_enable_mode(self, lab: Lab) -> None:
        def enable_with_wrong_secret() -> None:
            with _connect(lab.host, lab.profiles[0], secret="wrong") as connection:
                connection.enable()

        with pytest.raises(ValueError, match="Failed to enter enable mode"):
            await asyncio.to_thread(enable_with_wrong_secret)

    async def test_show_running_config_without_enable_is_rejected(self, lab: Lab) -> None:
        def show_run_unprivileged() -> str:
            with _connect(lab.host, lab.profiles[0]) as connection:
                return connection.send_command("show running-config")

        output = await asyncio.to_thread(show_run_unprivileged)
        assert "% Invalid input detected at '^' marker." in output
