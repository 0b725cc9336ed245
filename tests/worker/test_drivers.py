"""Golden tests: a recorded session's raw output in, the stored config out."""

from pathlib import Path

import pytest

from netraven_worker.drivers.pipeline import clean, stored_config
from netraven_worker.drivers.registry import DRIVERS, UnknownPlatform, driver_for

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("platform", sorted(p.name for p in GOLDEN.iterdir()))
class TestGoldenSession:
    def test_stored_config_matches_the_expected_file(self, platform: str) -> None:
        raw = (GOLDEN / platform / "raw.txt").read_text()
        assert stored_config(raw, driver_for(platform)) == (GOLDEN / platform / "expected.cfg").read_text()

    def test_no_secret_survives(self, platform: str) -> None:
        stored = stored_config((GOLDEN / platform / "raw.txt").read_text(), driver_for(platform))
        secrets = (GOLDEN / platform / "secrets.txt").read_text().split()
        assert secrets
        assert [s for s in secrets if s in stored] == []

    def test_the_output_is_stable(self, platform: str) -> None:
        once = stored_config((GOLDEN / platform / "raw.txt").read_text(), driver_for(platform))
        assert stored_config(once, driver_for(platform)) == once


class TestRegistry:
    def test_every_driver_has_a_golden_session(self) -> None:
        assert set(DRIVERS) == {p.name for p in GOLDEN.iterdir()}

    def test_unknown_platform_names_the_supported_ones(self) -> None:
        with pytest.raises(UnknownPlatform, match="supported: cisco_ios"):
            driver_for("acme_os")


class TestClean:
    def test_normalises_line_endings_and_trailing_space(self) -> None:
        assert clean("\r\n\r\nhostname a  \r\n!\r\n\r\n") == "hostname a\n!\n"
