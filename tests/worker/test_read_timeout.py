"""The collect command's read timeout grows with the device's last known config size."""

import pytest
from netraven_worker.config import WorkerSettings
from netraven_worker.timeouts import Timeouts, backup_timeouts, scaled_read_timeout

SETTINGS = WorkerSettings(
    connect_timeout=10.0,
    read_timeout=20.0,
    read_timeout_per_10kb=2.0,
    read_timeout_max=600.0,
    assumed_config_bytes=64 * 1024,
)


class TestScaledReadTimeout:
    @pytest.mark.parametrize(
        ("size", "expected"),
        [
            (0, 30.0),
            (1, 32.0),
            (10 * 1024, 32.0),
            (10 * 1024 + 1, 34.0),
            (50 * 1024, 40.0),
            (1024 * 1024, 236.0),
        ],
    )
    def test_base_plus_two_seconds_per_started_10_kb(self, size: int, expected: float) -> None:
        assert scaled_read_timeout(30.0, size, SETTINGS) == expected

    def test_an_unknown_size_assumes_64_kib(self) -> None:
        assert scaled_read_timeout(30.0, None, SETTINGS) == 30.0 + 2.0 * 7

    def test_is_capped(self) -> None:
        assert scaled_read_timeout(30.0, 100 * 1024 * 1024, SETTINGS) == 600.0

    def test_only_the_read_timeout_scales(self) -> None:
        assert backup_timeouts(None, 20 * 1024, SETTINGS) == Timeouts(connect=10.0, read=24.0)

    def test_a_device_timeout_is_the_base_of_both(self) -> None:
        assert backup_timeouts(15, 20 * 1024, SETTINGS) == Timeouts(connect=15.0, read=19.0)
