"""The platforms this installation backs up: the built-in drivers and the operator's own files.

The built-ins are driver files (`driver_file.py`) shipped in `builtin/`; one that does not load
is a bug of this package, raised at once rather than reported. Operators drop theirs into the
directory NETRAVEN_DRIVERS_DIR names; each `*.yaml` there becomes a platform beside the built-ins,
marked "local". A file that does not load, or that names a platform another driver has, is
reported (`errors`) with its file and field, and every other driver loads anyway: one broken file
never takes the others down. A service loads its catalog once, at start, and passes it on.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import structlog

from netraven_shared.drivers.driver_file import DriverFileError, read_driver_file
from netraven_shared.drivers.spec import DriverSpec

log = structlog.get_logger()

BUILTIN_DIR = Path(__file__).parent / "builtin"

Source = Literal["built-in", "local"]


class UnknownPlatform(LookupError):
    pass


@dataclass(frozen=True)
class Platform:
    spec: DriverSpec
    source: Source
    description: str = ""


class DriverCatalog:
    def __init__(self, platforms: dict[str, Platform], errors: list[DriverFileError]) -> None:
        self._platforms = platforms
        self.errors = errors

    @classmethod
    def load(cls, local_dir: Path | None = None) -> "DriverCatalog":
        platforms = {
            driver.platform: Platform(driver.spec(), "built-in", driver.description)
            for driver in map(read_driver_file, sorted(BUILTIN_DIR.glob("*.yaml")))
        }
        errors: list[DriverFileError] = []
        for path in sorted(local_dir.glob("*.yaml")) if local_dir else ():
            try:
                driver = read_driver_file(path)
            except DriverFileError as error:
                errors.append(error)
                continue
            if (taken := platforms.get(driver.platform)) is not None:
                errors.append(
                    DriverFileError(
                        path,
                        "platform",
                        f"'{driver.platform}' is already a {taken.source} driver; "
                        "give this one another name",
                    )
                )
                continue
            platforms[driver.platform] = Platform(driver.spec(), "local", driver.description)
        return cls(platforms, errors)

    def platforms(self) -> list[Platform]:
        return [self._platforms[name] for name in sorted(self._platforms)]

    def driver_for(self, platform: str) -> DriverSpec:
        try:
            return self._platforms[platform].spec
        except KeyError:
            supported = ", ".join(sorted(self._platforms))
            raise UnknownPlatform(
                f"no driver for device_type '{platform}' (supported: {supported})"
            ) from None


def load_catalog_logging_errors(local_dir: Path | None) -> DriverCatalog:
    """A service's catalog at its start: each broken local file is an error line naming its file
    and field (its platform is missing until the file is fixed)."""
    catalog = DriverCatalog.load(local_dir)
    for error in catalog.errors:
        log.error("drivers.file_invalid", file=error.file, field=error.field, error=error.message)
    return catalog
