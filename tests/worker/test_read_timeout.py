"""The collect command's read timeout grows with the device's last known config size."""

import uuid
from datetime import UTC, datetime

import pytest

from netraven_shared.db.models import ConfigVersion
from netraven_worker.config import WorkerSettings
from netraven_worker.read_timeout import last_config_size, scaled_read_timeout, with_scaled_read
from netraven_worker.session import Timeouts
from tests.fixtures.factories import create_device

SETTINGS = WorkerSettings(read_timeout_per_10kb=2.0, read_timeout_max=600.0, assumed_config_bytes=64 * 1024)


class TestScaledReadTimeout:
    @pytest.mark.parametrize(
        ("size", "expected"),
        [(0, 30.0), (1, 32.0), (10 * 1024, 32.0), (10 * 1024 + 1, 34.0), (50 * 1024, 40.0), (1024 * 1024, 236.0)],
    )
    def test_base_plus_two_seconds_per_started_10_kb(self, size: int, expected: float) -> None:
        assert scaled_read_timeout(30.0, size, SETTINGS) == expected

    def test_an_unknown_size_assumes_64_kib(self) -> None:
        assert scaled_read_timeout(30.0, None, SETTINGS) == 30.0 + 2.0 * 7

    def test_is_capped(self) -> None:
        assert scaled_read_timeout(30.0, 100 * 1024 * 1024, SETTINGS) == 600.0

    def test_only_the_read_timeout_scales(self) -> None:
        assert with_scaled_read(Timeouts(connect=10.0, read=20.0), 20 * 1024, SETTINGS) == Timeouts(connect=10.0, read=24.0)


class TestLastConfigSize:
    async def test_is_the_newest_stored_versions_size(self, admin, sessions) -> None:
        device = await create_device(admin, 22, "read-timeout")
        device_id = uuid.UUID(device["id"])
        async with sessions() as session:
            assert await last_config_size(session, device_id) is None
            for size, day in ((90_000, 1), (12_000, 3), (50_000, 2)):
                session.add(ConfigVersion(
                    device_id=device_id, commit=uuid.uuid4().hex[:40], path="x.cfg", sha256="0" * 64,
                    size_bytes=size, committed_at=datetime(2026, 1, day, tzinfo=UTC),
                ))
            await session.flush()
            assert await last_config_size(session, device_id) == 12_000
            await session.rollback()
