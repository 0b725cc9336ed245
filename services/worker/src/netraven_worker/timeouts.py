"""The timeouts a device session runs within.

The collect command's read timeout grows with the device's config: Netmiko's fixed read timeout
failed big configs on busy workers. It is

    read timeout = base + per_10kb x ceil(size / 10 KB), at most read_timeout_max

base is the device's `timeout_seconds`, else `NETRAVEN_READ_TIMEOUT`; size that of the device's
newest stored config, else `NETRAVEN_ASSUMED_CONFIG_BYTES` (64 KiB); per_10kb
`NETRAVEN_READ_TIMEOUT_PER_10KB` (2 s).
"""

import dataclasses
import math
from dataclasses import dataclass

from netraven_worker.config import WorkerSettings


@dataclass(frozen=True)
class Timeouts:
    connect: float
    read: float

    @classmethod
    def for_device(cls, timeout_seconds: int | None, default: "Timeouts") -> "Timeouts":
        """A device's own timeout replaces both the connect/auth and the read base."""
        return (
            default
            if timeout_seconds is None
            else cls(float(timeout_seconds), float(timeout_seconds))
        )


TEN_KB = 10 * 1024


def scaled_read_timeout(base: float, config_bytes: int | None, settings: WorkerSettings) -> float:
    size = settings.assumed_config_bytes if config_bytes is None else config_bytes
    scaled = base + settings.read_timeout_per_10kb * math.ceil(size / TEN_KB)
    return min(settings.read_timeout_max, scaled)


def backup_timeouts(
    timeout_seconds: int | None, config_bytes: int | None, settings: WorkerSettings
) -> Timeouts:
    """A device's timeouts: its own or the settings', the read one scaled to its config's size."""
    timeouts = Timeouts.for_device(
        timeout_seconds, Timeouts(settings.connect_timeout, settings.read_timeout)
    )
    return dataclasses.replace(
        timeouts, read=scaled_read_timeout(timeouts.read, config_bytes, settings)
    )
