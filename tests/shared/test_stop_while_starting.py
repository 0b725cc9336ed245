"""A service still starting (here: NATS unreachable, so its broker never connects) stops on SIGTERM
at once, with status 0, instead of waiting for a start-up that may never end."""

import os
import signal
import subprocess
import sys
import time

from netraven_devstack.ports import free_port


def test_a_service_that_cannot_reach_nats_stops_at_once_on_sigterm(tmp_path) -> None:
    env = os.environ | {
        "NETRAVEN_NATS_URL": f"nats://127.0.0.1:{free_port()}",
        "NETRAVEN_HEALTH_PORT": str(free_port()),
    }
    with open(tmp_path / "log-collector.log", "w") as log:
        service = subprocess.Popen(
            [sys.executable, "-m", "netraven_log_collector"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_it_handles_sigterm(service.pid)
        time.sleep(1)  # inside start-up now, retrying the connection
        assert service.poll() is None, (tmp_path / "log-collector.log").read_text()
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=5) == 0
    finally:
        service.kill()
    assert "stopped while starting" in (tmp_path / "log-collector.log").read_text()


def wait_until_it_handles_sigterm(pid: int, timeout: float = 60) -> None:
    """Until the process has imported its code and set its handler (on a loaded machine,
    seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(f"/proc/{pid}/status") as status:
            caught = next(line for line in status if line.startswith("SigCgt:"))
        if int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)):
            return
        time.sleep(0.1)
    raise AssertionError(f"process {pid} set no SIGTERM handler within {timeout} s")
