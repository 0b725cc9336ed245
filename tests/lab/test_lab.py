"""The lab's lifecycle and sessions, seen through a plain asyncssh client."""

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import asyncssh
import pytest
from netraven_lab.lab import Lab
from netraven_lab.profiles import DeviceProfile, make_lab_profiles

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def lab() -> AsyncIterator[Lab]:
    async with Lab(make_lab_profiles(3)) as lab:
        yield lab


async def _login(lab: Lab, profile: DeviceProfile) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        lab.host,
        profile.port,
        username=profile.username,
        password=profile.password,
        known_hosts=None,
    )


async def _read_until(process: asyncssh.SSHClientProcess, text: str) -> str:
    output = ""
    async with asyncio.timeout(5):
        while text not in output:
            output += await process.stdout.read(65536)
    return output


def _is_listening(host: str, port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) == 0


class TestPorts:
    async def test_port_zero_becomes_a_free_port_of_its_own(self, lab: Lab) -> None:
        ports = [profile.port for profile in lab.profiles]
        assert 0 not in ports
        assert len(set(ports)) == len(ports)
        assert all(_is_listening(lab.host, port) for port in ports)

    async def test_stop_releases_every_port(self) -> None:
        async with Lab(make_lab_profiles(3)) as lab:
            ports = [profile.port for profile in lab.profiles]
        assert not any(_is_listening(lab.host, port) for port in ports)

    async def test_a_failed_start_leaves_nothing_listening(self) -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            free, busy = make_lab_profiles(2)
            lab = Lab([free, DeviceProfile(**{**busy.__dict__, "port": taken.getsockname()[1]})])
            with pytest.raises(OSError):
                await lab.start()
        assert not _is_listening(lab.host, lab.profile(free.hostname).port)


class TestSessions:
    async def test_echo_and_prompt_like_a_terminal(self, lab: Lab) -> None:
        async with await _login(lab, lab.profiles[0]) as connection:
            process = await connection.create_process(term_type="vt100")
            assert (await _read_until(process, ">")).endswith("lab-rtr-01>")
            process.stdin.write("terminal length 0\n")
            assert (
                await _read_until(process, "0\r\nlab-rtr-01>") == "terminal length 0\r\nlab-rtr-01>"
            )

    async def test_wrong_password_is_refused(self, lab: Lab) -> None:
        profile = lab.profiles[0]
        with pytest.raises(asyncssh.PermissionDenied):
            await asyncssh.connect(
                lab.host,
                profile.port,
                username=profile.username,
                password="nope",
                known_hosts=None,
            )

    async def test_a_config_change_shows_in_an_open_session(self, lab: Lab) -> None:
        profile = lab.profiles[1]
        async with await _login(lab, profile) as connection:
            process = await connection.create_process(term_type="vt100")
            process.stdin.write(f"enable\n{profile.enable_secret}\n")
            await _read_until(process, "#")
            lab.set_config(profile.hostname, "hostname changed\nend\n")
            process.stdin.write("show run\n")
            assert "\r\nhostname changed\r\nend\r\n" in await _read_until(process, "end\r\n")

    async def test_exit_ends_the_session_cleanly(self, lab: Lab) -> None:
        async with await _login(lab, lab.profiles[0]) as connection:
            process = await connection.create_process(term_type="vt100")
            process.stdin.write("exit\n")
            assert (await asyncio.wait_for(process.wait(), 5)).exit_status == 0

    async def test_stop_drops_open_sessions(self) -> None:
        lab = Lab(make_lab_profiles(1))
        await lab.start()
        connection = await _login(lab, lab.profiles[0])
        await connection.create_process(term_type="vt100")
        await lab.stop()
        await asyncio.wait_for(connection.wait_closed(), 5)


class TestDelay:
    async def test_commands_are_answered_after_the_delay(self) -> None:
        async with (
            Lab(make_lab_profiles(1, delay=0.3)) as lab,
            await _login(lab, lab.profiles[0]) as connection,
        ):
            process = await connection.create_process(term_type="vt100")
            await _read_until(process, ">")
            started = time.monotonic()
            process.stdin.write("show version\n")
            await _read_until(process, "0x2102\r\n\r\nlab-rtr-01>")
            assert time.monotonic() - started >= 0.3
