"""Every line a worker process prints is JSON, even while devices misbehave: Paramiko's records and
tracebacks from its transport thread go out through the service's structured log."""

import asyncio
import dataclasses
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles

from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME

# A worker's logging and its SSH step, against the ports given: what a worker process does per
# device.
WORKER_SESSIONS = f"""
import sys, uuid
import structlog
from netraven_shared.logging import configure_logging
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_worker.collection import Login, Target
from netraven_worker.session import collect_config
from netraven_worker.timeouts import Timeouts

configure_logging("worker", sys.argv[1], "json")
log = structlog.get_logger()
cisco_ios = DriverCatalog.load().driver_for("cisco_ios")
for port in sys.argv[2:]:
    login = Login(uuid.uuid4(), "lab", "{LAB_USERNAME}", "{LAB_PASSWORD}", "{LAB_ENABLE}")
    try:
        collect_config(
            Target("dev", "127.0.0.1", int(port), cisco_ios), [login], Timeouts(2, 2)
        )
    except Exception as error:
        log.warning("backup.failed", port=port, error=str(error))
"""


@pytest.fixture
def not_ssh_port() -> Iterator[int]:
    """Says something that is not an SSH banner and hangs up: Paramiko logs a traceback for it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)

        def answer() -> None:
            while True:
                try:
                    client, _ = listener.accept()
                except OSError:
                    return
                with client:
                    client.sendall(b"hello\r\n")

        threading.Thread(target=answer, daemon=True).start()
        yield listener.getsockname()[1]


async def worker_output(level: str, *ports: int) -> list[str]:
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", WORKER_SESSIONS, level, *map(str, ports)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return (done.stdout + done.stderr).splitlines()


def parsed(lines: list[str]) -> list[dict]:
    not_json = []
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            not_json.append(line)
    assert not not_json, f"{len(not_json)} lines are not JSON, e.g. {not_json[:3]}"
    return records


class TestMisbehavingDevices:
    async def test_at_debug_paramiko_records_are_json_lines(self, not_ssh_port: int) -> None:
        profile = make_lab_profiles(
            1, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE
        )[0]
        async with Lab([dataclasses.replace(profile, hangs_after_login=True)]) as lab:
            records = parsed(await worker_output("DEBUG", not_ssh_port, lab.profiles[0].port))
        paramiko = [r for r in records if r.get("logger", "").startswith("paramiko")]
        assert any("Error reading SSH protocol banner" in r["event"] for r in paramiko), (
            "the traceback Paramiko logs"
        )
        assert all(r["service"] == "worker" and "timestamp" in r for r in paramiko)
        failures = [r for r in records if r["event"] == "backup.failed"]
        assert [r["port"] for r in failures] == [str(not_ssh_port), str(lab.profiles[0].port)]
        # The port hangs up at once; on a loaded machine its answer can come after the 2 s banner
        # timeout.
        assert any(
            reason in failures[0]["error"]
            for reason in ("closed the connection before the CLI session started", "no SSH banner")
        )
        assert "stopped answering after login" in failures[1]["error"]

    async def test_at_info_paramiko_stays_quiet_and_the_failures_are_reported(
        self, not_ssh_port: int
    ) -> None:
        records = parsed(await worker_output("INFO", not_ssh_port))
        assert not [r for r in records if r.get("logger", "").startswith("paramiko")]
        assert [r["event"] for r in records] == ["backup.failed"]
