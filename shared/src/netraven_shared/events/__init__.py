"""The event contracts: pydantic models and their subjects. No broker import here."""

from netraven_shared.events.backups import DeviceBackedUp, DeviceBackupFailed, DeviceBackupStarted
from netraven_shared.events.base import Event
from netraven_shared.events.bus import EventRejected
from netraven_shared.events.compliance import ComplianceViolated
from netraven_shared.events.configs import ConfigChanged, ConfigStored
from netraven_shared.events.jobs import JobDispatched, JobRequested
from netraven_shared.events.logs import LogEmitted, LogLinesEmitted
from netraven_shared.events.mirrors import MirrorPushFailed, MirrorPushRecovered
from netraven_shared.events.reachability import DeviceReachabilityChecked
from netraven_shared.events.runs import RunProgressed
from netraven_shared.events.site_dispatch import SiteJobDispatched

ALL_EVENTS: tuple[type[Event], ...] = (
    JobRequested,
    JobDispatched,
    SiteJobDispatched,
    DeviceBackupStarted,
    DeviceBackedUp,
    DeviceBackupFailed,
    ConfigStored,
    ConfigChanged,
    DeviceReachabilityChecked,
    ComplianceViolated,
    MirrorPushFailed,
    MirrorPushRecovered,
    LogEmitted,
    LogLinesEmitted,
    EventRejected,
)
# Announced on core NATS, kept by no stream: live state for whoever listens at the time.
LIVE_EVENTS: tuple[type[Event], ...] = (RunProgressed,)

__all__ = [
    "ALL_EVENTS",
    "LIVE_EVENTS",
    "ComplianceViolated",
    "ConfigChanged",
    "ConfigStored",
    "DeviceBackedUp",
    "DeviceBackupFailed",
    "DeviceBackupStarted",
    "DeviceReachabilityChecked",
    "Event",
    "EventRejected",
    "JobDispatched",
    "JobRequested",
    "LogEmitted",
    "LogLinesEmitted",
    "MirrorPushFailed",
    "MirrorPushRecovered",
    "RunProgressed",
    "SiteJobDispatched",
]
