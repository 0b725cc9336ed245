"""python -m netraven_lab as make run starts it: a separate process, stopped by a signal."""

import asyncio
import json
import signal
import socket
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60)


async def _wait_for(path: Path, process: asyncio.subprocess.Process) -> None:
    async with asyncio.timeout(30):
        while not path.exists():
            assert process.returncode is None, "the lab exited before writing its inventory"
            await asyncio.sleep(0.05)


class TestCommandLine:
    @pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
    async def test_writes_the_inventory_and_stops_cleanly(
        self, tmp_path: Path, signum: signal.Signals
    ) -> None:
        inventory = tmp_path / "inventory.json"
        arguments = ["-m", "netraven_lab", "--devices=2", "--base-port=0", "--churn-seconds=0.05"]
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *arguments,
            f"--inventory={inventory}",
            f"--host-key={tmp_path / 'host_key'}",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await _wait_for(inventory, process)
            devices = json.loads(inventory.read_text())
            with socket.create_connection(("127.0.0.1", devices[0]["port"]), timeout=5) as ssh:
                assert ssh.recv(64).startswith(b"SSH-2.0-")
            process.send_signal(signum)
            _, stderr = await asyncio.wait_for(process.communicate(), 15)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.returncode == 0
        assert [device["hostname"] for device in devices] == ["lab-rtr-01", "lab-rtr-02"]
        assert devices[0] | {"port": 0} == {
            "hostname": "lab-rtr-01",
            "ip_address": "127.0.0.1",
            "port": 0,
            "device_type": "cisco_ios",
            "username": "netraven",
            "password": "netraven",
            "enable_secret": "netraven-enable",
        }
        log = stderr.decode()
        assert log.count("lab.device.listening") == 2
        assert "lab.stopped" in log
