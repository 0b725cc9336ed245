"""Temporary: each built-in driver file declares exactly the spec of the Python module it replaces."""

from pathlib import Path

import pytest
from netraven_shared.drivers.driver_file import read_driver_file
from netraven_shared.drivers.registry import DRIVERS

BUILTIN = Path(__file__).parents[3] / "shared/src/netraven_shared/drivers/builtin"


def test_there_is_one_file_per_module() -> None:
    assert {path.stem for path in BUILTIN.glob("*.yaml")} == set(DRIVERS)


@pytest.mark.parametrize("platform", sorted(DRIVERS))
def test_the_file_declares_the_module_spec(platform: str) -> None:
    driver = read_driver_file(BUILTIN / f"{platform}.yaml")
    assert driver.spec() == DRIVERS[platform]
    assert driver.description
