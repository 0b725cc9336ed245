import signal
from pathlib import Path

import pytest
from netraven_devstack import ServerStartError
from netraven_devstack.server_process import ServerProcess


class TestStartFailure:
    def test_early_exit_reports_exit_code_and_log_tail(self, tmp_path: Path) -> None:
        process = ServerProcess("fake", ["sh", "-c", "echo cannot bind; exit 3"], tmp_path / "log")
        process.start()
        with pytest.raises(ServerStartError, match=r"(?s)exited with code 3.*cannot bind"):
            process.wait_until_ready(lambda: False, timeout=5)

    def test_timeout_stops_the_process(self, tmp_path: Path) -> None:
        process = ServerProcess("fake", ["sleep", "30"], tmp_path / "log")
        process.start()
        with pytest.raises(ServerStartError, match=r"was not ready after 0\.2s"):
            process.wait_until_ready(lambda: False, timeout=0.2)
        assert not process.running

    def test_log_tail_shows_only_this_run(self, tmp_path: Path) -> None:
        log = tmp_path / "log"
        log.write_text("old run\n")
        process = ServerProcess("fake", ["sh", "-c", "echo new run"], log)
        process.start()
        with pytest.raises(ServerStartError) as raised:
            process.wait_until_ready(lambda: False, timeout=5)
        assert "new run" in str(raised.value) and "old run" not in str(raised.value)


class TestStop:
    def test_kills_a_server_that_ignores_the_stop_signal(self, tmp_path: Path) -> None:
        process = ServerProcess(
            "stubborn", ["sh", "-c", "trap '' TERM; echo up; exec sleep 30"], tmp_path / "log"
        )
        process.start()
        process.wait_until_ready(lambda: "up" in process.log_tail(), timeout=5)
        process.stop(signal.SIGTERM, timeout=0.3)
        assert not process.running
