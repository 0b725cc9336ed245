"""How long the collect command may read: longer for devices with bigger configs.

Netmiko's fixed read timeout failed big configs on busy workers. The timeout grows with the size
of the device's newest stored config (an assumed size before its first backup):

    read timeout = base + per_10kb x ceil(size / 10 KB), at most read_timeout_max

base is the device's `timeout_seconds`, else `NETRAVEN_READ_TIMEOUT`; per_10kb is
`NETRAVEN_READ_TIMEOUT_PER_10KB` (2 s), the assumed size `NETRAVEN_ASSUMED_CONFIG_BYTES` (64 KiB).
"""

import dataclasses
import math

from netraven_worker.config import WorkerSettings
from netraven_worker.session import Timeouts

TEN_KB = 10 * 1024


def scaled_read_timeout(base: float, config_bytes: int | None, settings: WorkerSettings) -> float:
    size = settings.assumed_config_bytes if config_bytes is None else config_bytes
    return min(settings.read_timeout_max, base + settings.read_timeout_per_10kb * math.ceil(size / TEN_KB))


def with_scaled_read(timeouts: Timeouts, config_bytes: int | None, settings: WorkerSettings) -> Timeouts:
    return dataclasses.replace(timeouts, read=scaled_read_timeout(timeouts.read, config_bytes, settings))
