"""`python -m netraven_bench --workers`: the scale phase at a tiny fleet, as `make bench` runs it
at 2,000 devices, on its own embedded NATS and PostgreSQL with real worker services."""

import json
import re
import subprocess
import sys
from uuid import uuid4

import pytest
from nats.aio.msg import Msg
from netraven_bench.scale import BackupTally, DuplicateBackup

DEVICES = 40
ROW = re.compile(r"^\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+[\d.]+  (.+)$")
SHARE = re.compile(r"(bench-worker-\d+) (\d+) \((\d+)%\)")
ONCE = re.compile(r"each device backed up once: (\d+) DeviceBackedUp for (\d+) devices")


def _message(**fields: str) -> Msg:
    return Msg(_client=None, data=json.dumps(fields).encode())  # type: ignore[arg-type]


def _scale(*options: str) -> str:
    finished = subprocess.run(
        [sys.executable, "-m", "netraven_bench", "--devices", *options]
        + ["--workers-devices", str(DEVICES), "--workers-sessions", "5"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return finished.stdout


def _shares(output: str) -> list[list[tuple[str, str, str]]]:
    """Per row: (worker id, devices, percent) of each process."""
    return [
        SHARE.findall(match.group(5)) for line in output.splitlines() if (match := ROW.match(line))
    ]


@pytest.fixture(scope="module")
def scale_output() -> str:
    return _scale("--workers", "1", "2")


class TestScalePhase:
    def test_a_row_per_process_count_with_its_rate_and_ratio(self, scale_output: str) -> None:
        rows = [match.groups() for line in scale_output.splitlines() if (match := ROW.match(line))]
        assert [(processes, sessions) for processes, sessions, *_ in rows] == [
            ("1", "5"),
            ("2", "10"),
        ]
        assert all(float(rate) > 0 for _, _, rate, _, _ in rows)
        assert rows[0][3] == "1.00"

    def test_every_process_took_part_of_the_fleet(self, scale_output: str) -> None:
        shares = _shares(scale_output)
        assert [worker for worker, _, _ in shares[0]] == ["bench-worker-1"]
        assert [worker for worker, _, _ in shares[1]] == ["bench-worker-1", "bench-worker-2"]
        for share in shares:
            assert sum(int(devices) for _, devices, _ in share) == DEVICES
            assert all(int(devices) > 0 for _, devices, _ in share)

    def test_every_device_was_backed_up_once_in_each_run(self, scale_output: str) -> None:
        assert ONCE.findall(scale_output) == [(str(DEVICES), str(DEVICES))] * 2

    def test_the_cpu_table_follows_each_row(self, scale_output: str) -> None:
        assert len(re.findall(r"^\s+worker\s+[\d.]+$", scale_output, re.MULTILINE)) == 2


class TestSupervisedLayout:
    def test_the_supervisors_processes_share_the_fleet_once_each(self) -> None:
        output = _scale("--workers", "2", "--workers-supervised")
        [share] = _shares(output)
        assert [worker for worker, _, _ in share] == ["bench-worker-1", "bench-worker-2"]
        assert all(int(devices) > 0 for _, devices, _ in share)
        assert ONCE.findall(output) == [(str(DEVICES), str(DEVICES))]


class TestBackupTally:
    async def test_once_each_passes(self) -> None:
        tally = BackupTally.empty()
        for _ in range(3):
            await tally.succeeded(_message(device_id=str(uuid4())))
        tally.check_once_each(3)

    async def test_a_device_backed_up_twice_fails_the_run_naming_it(self) -> None:
        tally, twice = BackupTally.empty(), str(uuid4())
        for device in (twice, str(uuid4()), twice):
            await tally.succeeded(_message(device_id=device))
        with pytest.raises(
            DuplicateBackup, match=f"1 device\\(s\\) backed up more than once: {twice} x2"
        ):
            tally.check_once_each(2)

    async def test_a_device_never_backed_up_fails_the_run(self) -> None:
        tally = BackupTally.empty()
        await tally.succeeded(_message(device_id=str(uuid4())))
        with pytest.raises(DuplicateBackup, match="1 of 2 devices were backed up"):
            tally.check_once_each(2)

    async def test_the_spread_counts_backups_started_by_each_worker(self) -> None:
        tally = BackupTally.empty()
        for worker in ("bench-worker-2", "bench-worker-1", "bench-worker-2"):
            await tally.started(_message(worker_id=worker))
        assert tally.started_by == {"bench-worker-1": 1, "bench-worker-2": 2}
