"""The event contracts: pydantic models and their subjects. No broker import here."""

from netraven_shared.events.backups import DeviceBackedUp, DeviceBackupFailed, DeviceBackupStarted
from netraven_shared.events.base import Event
from netraven_shared.events.configs import ConfigStored
from netraven_shared.events.jobs import JobRequested
from netraven_shared.events.logs import LogEmitted

ALL_EVENTS: tuple[type[Event], ...] = (
    JobRequested,
    DeviceBackupStarted,
    DeviceBackedUp,
    DeviceBackupFailed,
    ConfigStored,
    LogEmitted,
)

__all__ = [
    "ALL_EVENTS",
    "ConfigStored",
    "DeviceBackedUp",
    "DeviceBackupFailed",
    "DeviceBackupStarted",
    "Event",
    "JobRequested",
    "LogEmitted",
]
