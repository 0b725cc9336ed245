"""The lab's SSH jump host and Telnet device, spoken to with plain clients."""

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import asyncssh
import pytest
from netraven_lab import Lab, LabBastion, generate_config, make_lab_profiles

from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME

HIDDEN = ("10.255.0.3", 22)


@pytest.fixture(scope="module")
async def telnet_lab() -> AsyncIterator[Lab]:
    profile = make_lab_profiles(
        1, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE
    )[0]
    telnet = dataclasses.replace(
        profile, hostname="tn-01", config_text=generate_config("tn-01", 1024), telnet=True
    )
    async with Lab([telnet]) as lab:
        yield lab


async def read_until(reader: asyncio.StreamReader, text: bytes) -> bytes:
    return await asyncio.wait_for(reader.readuntil(text), timeout=5)


class TestTelnetDevice:
    async def test_logs_in_ignoring_telnet_options_and_serves_the_cli(
        self, telnet_lab: Lab
    ) -> None:
        reader, writer = await asyncio.open_connection(telnet_lab.host, telnet_lab.profiles[0].port)
        await read_until(reader, b"Username: ")
        writer.write(b"\xff\xfd\x01" + LAB_USERNAME.encode() + b"\r\n")  # IAC DO ECHO first
        await read_until(reader, b"Password: ")
        writer.write(LAB_PASSWORD.encode() + b"\r\n")
        assert (await read_until(reader, b"tn-01>")).endswith(b"tn-01>")
        writer.write(b"show version\r\n")
        assert b"tn-01 uptime" in await read_until(reader, b"tn-01>")
        writer.close()

    async def test_a_wrong_password_is_refused_and_recorded(self, telnet_lab: Lab) -> None:
        reader, writer = await asyncio.open_connection(telnet_lab.host, telnet_lab.profiles[0].port)
        await read_until(reader, b"Username: ")
        writer.write(b"admin\r\n")
        await read_until(reader, b"Password: ")
        writer.write(b"guess\r\n")
        assert b"% Login invalid" in await read_until(reader, b"Username: ")
        assert ("admin", "guess") in telnet_lab.auth_attempts("tn-01")
        writer.close()


@pytest.fixture
async def bastion(telnet_lab: Lab) -> AsyncIterator[LabBastion]:
    routes = {HIDDEN: (telnet_lab.host, telnet_lab.profiles[0].port)}
    async with LabBastion("jump", "jump-password", routes) as running:
        yield running


async def bastion_client(bastion: LabBastion, password: str = "jump-password"):
    return await asyncssh.connect(
        bastion.host, bastion.port, username="jump", password=password, known_hosts=None
    )


class TestBastion:
    async def test_forwards_a_name_only_it_knows(self, bastion: LabBastion) -> None:
        async with await bastion_client(bastion) as connection:
            reader, writer = await connection.open_connection(*HIDDEN)
            assert b"Username: " in await asyncio.wait_for(reader.readuntil(b"Username: "), 5)
            writer.close()
        assert bastion.forwarded == [HIDDEN]

    async def test_refuses_an_unknown_destination_and_all_when_told(
        self, bastion: LabBastion
    ) -> None:
        async with await bastion_client(bastion) as connection:
            with pytest.raises(asyncssh.ChannelOpenError) as unknown:
                await connection.open_connection("10.9.9.9", 22)
            assert unknown.value.code == asyncssh.OPEN_CONNECT_FAILED
            bastion.refuse_forwarding = True
            with pytest.raises(asyncssh.ChannelOpenError) as refused:
                await connection.open_connection(*HIDDEN)
            assert refused.value.code == asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED

    async def test_a_wrong_password_is_refused(self, bastion: LabBastion) -> None:
        with pytest.raises(asyncssh.PermissionDenied):
            await bastion_client(bastion, password="guess")
        assert bastion.auth_attempts[-1] == ("jump", "guess")

    async def test_its_known_hosts_line_names_its_port(self, bastion: LabBastion) -> None:
        assert bastion.host_key_line.startswith(f"[127.0.0.1]:{bastion.port} ssh-")
