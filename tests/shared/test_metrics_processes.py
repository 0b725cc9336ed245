"""The worker's processes write their samples to the supervisor's directory; the one answering
`/metrics` reports the sum of all, and a process that exited stops counting in the live gauges
(pool connections) while its counters stay."""

import os
import subprocess
import sys
from pathlib import Path

from netraven_shared.metrics.exposition import MULTIPROCESS_DIR_VARIABLE, multiprocess_metrics

from tests.fixtures.observability import samples

BACK_UP = """
import os
import sys
from netraven_shared.metrics.db_pool import CONNECTIONS
from netraven_worker.backup_metrics import count_backup
from netraven_worker.report import Busy

for _ in range(int(sys.argv[1])):
    count_backup(None, "cisco_ios")
count_backup(Busy("worker-2"), "cisco_ios")
CONNECTIONS.labels("in_use").set(int(sys.argv[2]))
print(os.getpid())
"""
RENDER = """
import sys
from netraven_shared.metrics.exposition import forget_process, rendered

for pid in sys.argv[1:]:
    forget_process(int(pid))
sys.stdout.write(rendered().decode())
"""


def run(directory: Path, script: str, *arguments: object) -> subprocess.CompletedProcess[str]:
    env = os.environ | {MULTIPROCESS_DIR_VARIABLE: str(directory)}
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, arguments)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done


def backed_up(exposition: str, outcome: str) -> float:
    key = (("outcome", outcome), ("platform", "cisco_ios"))
    return samples(exposition, "netraven_backups_total")[key]


def in_use(exposition: str) -> float:
    return samples(exposition, "netraven_db_pool_connections")[(("state", "in_use"),)]


class TestWorkerProcesses:
    def test_any_process_reports_the_sum_of_all(self, tmp_path: Path) -> None:
        run(tmp_path, BACK_UP, 3, 2)
        run(tmp_path, BACK_UP, 4, 5)
        answer = run(tmp_path, RENDER).stdout
        assert backed_up(answer, "succeeded") == 7
        assert backed_up(answer, "busy") == 2
        assert in_use(answer) == 7

    def test_an_exited_process_leaves_the_live_gauges_but_not_the_counters(
        self, tmp_path: Path
    ) -> None:
        exited = int(run(tmp_path, BACK_UP, 3, 2).stdout)
        run(tmp_path, BACK_UP, 4, 5)
        answer = run(tmp_path, RENDER, exited).stdout
        assert backed_up(answer, "succeeded") == 7
        assert in_use(answer) == 5


class TestSupervisorDirectory:
    def test_it_is_named_in_the_environment_and_removed_afterwards(self) -> None:
        assert MULTIPROCESS_DIR_VARIABLE not in os.environ
        with multiprocess_metrics():
            directory = Path(os.environ[MULTIPROCESS_DIR_VARIABLE])
            assert directory.is_dir()
            (directory / "counter_1.db").write_bytes(b"")
        assert MULTIPROCESS_DIR_VARIABLE not in os.environ
        assert not directory.exists()
