"""Lab devices that log a client in and then stop answering, seen through a plain asyncssh
client."""

import asyncio
import dataclasses

import asyncssh
import pytest
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles

pytestmark = pytest.mark.timeout(30)

SILENCE_SECONDS = 1.0


async def _shell(lab: Lab) -> tuple[asyncssh.SSHClientConnection, asyncssh.SSHClientProcess]:
    profile = lab.profiles[0]
    connection = await asyncssh.connect(
        lab.host,
        profile.port,
        username=profile.username,
        password=profile.password,
        known_hosts=None,
    )
    return connection, await connection.create_process(term_type="vt100")


async def _heard_within(process: asyncssh.SSHClientProcess, seconds: float) -> str:
    output = ""
    try:
        async with asyncio.timeout(seconds):
            while chunk := await process.stdout.read(65536):
                output += chunk
    except TimeoutError:
        pass
    return output


async def _read_until(process: asyncssh.SSHClientProcess, text: str) -> str:
    output = ""
    async with asyncio.timeout(5):
        while text not in output:
            output += await process.stdout.read(65536)
    return output


def _device(**behaviour):
    return dataclasses.replace(make_lab_profiles(1)[0], **behaviour)


class TestHangsAfterLogin:
    async def test_accepts_the_login_and_never_prints_a_prompt(self) -> None:
        async with Lab([_device(hangs_after_login=True)]) as lab:
            connection, process = await _shell(lab)
            async with connection:
                process.stdin.write("\r\nshow version\r\n")
                assert await _heard_within(process, SILENCE_SECONDS) == ""


class TestHangsOnACommand:
    async def test_answers_until_the_command_then_says_nothing(self) -> None:
        device = _device(hangs_on="show running-config")
        async with Lab([device]) as lab:
            connection, process = await _shell(lab)
            async with connection:
                await _read_until(process, f"{device.hostname}>")
                process.stdin.write("show version\r\n")
                assert "uptime" in await _read_until(process, f"{device.hostname}>")
                process.stdin.write("enable\r\n")
                await _read_until(process, "Password: ")
                process.stdin.write(f"{device.enable_secret}\r\n")
                await _read_until(process, f"{device.hostname}#")
                process.stdin.write("show running-config\r\n")
                echo_only = await _heard_within(process, SILENCE_SECONDS)
                assert echo_only.strip() == "show running-config"
                process.stdin.write("\r\n")
                assert await _heard_within(process, SILENCE_SECONDS) == ""
