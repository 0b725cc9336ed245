"""`make run`'s supervisor on real child processes: a service that exits comes back, one that
keeps dying stops it all."""

import sys
import time
from datetime import timedelta
from pathlib import Path

from netraven_devstack.restart_policy import RestartPolicy
from netraven_devstack.service_set import ServiceSet
from netraven_devstack.supervisor import Supervisor
from netraven_shared.service_heartbeat import RESTARTS_VARIABLE

QUICK = RestartPolicy(
    first_delay=timedelta(milliseconds=50),
    longest_delay=timedelta(milliseconds=200),
    window=timedelta(seconds=30),
)


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def wait_until(condition, supervisor: Supervisor, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert supervisor.check() is None, "the supervisor gave up"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


FLAKY = f"""
import os, sys, time
runs = sys.argv[1]
with open(runs, "a") as record:
    record.write(os.environ.get("{RESTARTS_VARIABLE}", "0") + "\\n")
if len(open(runs).readlines()) < 3:
    print("crashing", flush=True)
    sys.exit(7)
time.sleep(60)
"""


class TestRestart:
    def test_a_service_that_exits_is_started_again_and_told_how_many_restarts(
        self, tmp_path: Path
    ) -> None:
        runs = (
            tmp_path / "runs"
        )  # each run appends the restart count it was given: two crash, the third stays up
        services = ServiceSet(tmp_path / "logs")
        services.start("flaky", [*python(FLAKY), str(runs)], {})
        said: list[str] = []
        supervisor = Supervisor(services, said.append, QUICK)
        try:
            wait_until(
                lambda: runs.exists() and len(runs.read_text().splitlines()) == 3, supervisor
            )
            time.sleep(0.3)
            assert supervisor.check() is None
            assert services.services["flaky"].process.poll() is None
        finally:
            services.stop_all(timeout=5)
        assert runs.read_text().splitlines() == ["0", "1", "2"]
        assert said[0].startswith(
            "flaky exited with status 7; restarting in 0.05 s (restart 1); its log ends:\ncrashing"
        )
        assert said[1].startswith("flaky exited with status 7; restarting in 0.1 s (restart 2)")
        assert len(said) == 2
        assert (
            "netraven: flaky exited with status 7; restarting in 0.1 s (restart 2)"
            in services.services["flaky"].log_tail()
        )


class TestKeepsDying:
    def test_supervision_stops_with_the_reason_and_the_log(self, tmp_path: Path) -> None:
        services = ServiceSet(tmp_path / "logs")
        services.start(
            "doomed", python("print('no database', flush=True); raise SystemExit(2)"), {}
        )
        services.start("steady", python("import time; time.sleep(60)"), {})
        said: list[str] = []
        try:
            reason = Supervisor(services, said.append, QUICK).run(poll_seconds=0.05)
            assert services.services["steady"].process.poll() is None
        finally:
            services.stop_all(timeout=5)
        assert reason.startswith(
            "doomed keeps dying: it exited 5 times within 30 s (last status 2)"
        )
        assert reason.endswith("no database")
        delays = [line.split(";")[1] for line in said]
        assert delays == [
            f" restarting in {s:g} s (restart {n})"
            for n, s in ((1, 0.05), (2, 0.1), (3, 0.2), (4, 0.2))
        ]
