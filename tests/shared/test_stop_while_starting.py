"""A service still starting (here: NATS unreachable, so its broker never connects) stops on SIGTERM at
once, with status 0, instead of waiting for a start-up that may never end."""

import os
import signal
import subprocess
import sys
import time

from netraven_devstack.ports import free_port


def test_a_service_that_cannot_reach_nats_stops_at_once_on_sigterm(tmp_path) -> None:
    env = os.environ | {"NETRAVEN_NATS_URL": f"nats://127.0.0.1:{free_port()}", "NETRAVEN_HEALTH_PORT": str(free_port())}
    with open(tmp_path / "log-collector.log", "w") as log:
        service = subprocess.Popen([sys.executable, "-m", "netraven_log_collector"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        time.sleep(3)  # long enough to be inside start-up, retrying the connection
        assert service.poll() is None, (tmp_path / "log-collector.log").read_text()
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=5) == 0
    finally:
        service.kill()
    assert "stopped while starting" in (tmp_path / "log-collector.log").read_text()
