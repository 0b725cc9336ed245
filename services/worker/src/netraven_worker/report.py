"""How a backup ends, told to the run and the operator log: the ids every line carries, the
outcomes of a backup that ends without a config, and `BackupReport`, which publishes them."""

from dataclasses import dataclass, field
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import structlog
from faststream.nats import NatsBroker
from netraven_shared.events import DeviceBackupFailed, JobDispatched, SiteJobDispatched
from netraven_shared.events.base import fitted
from netraven_shared.events.logs import LogLevel, LogType
from netraven_shared.host_keys import HostKey
from netraven_shared.messaging import publish_event
from netraven_shared.operator_log import OperatorLog

from netraven_worker.collection import Login
from netraven_worker.config import WorkerSettings
from netraven_worker.guard import RetryLater
from netraven_worker.inventory import BackupDevice

log = structlog.get_logger()


@dataclass(frozen=True)
class BackupIds:
    """The ids every line about one backup carries: bound to structlog once, given to each
    operator log line."""

    job_id: UUID | None
    run_id: UUID
    device_id: UUID
    correlation_id: UUID

    @classmethod
    def of(cls, request: JobDispatched | SiteJobDispatched, device_id: UUID) -> "BackupIds":
        return cls(request.job_id, request.run_id, device_id, request.correlation_id)

    def fields(self) -> dict[str, UUID | None]:
        return {
            "job_id": self.job_id,
            "run_id": self.run_id,
            "device_id": self.device_id,
            "correlation_id": self.correlation_id,
        }

    @property
    def backed_up_event_id(self) -> UUID:
        """One DeviceBackedUp id per device and run. A backup done again because an ack was lost
        (its result's, or its dispatch's when a NATS node died before the ack was replicated)
        announces the same event, which JetStream's duplicate window stores once."""
        return uuid5(NAMESPACE_URL, f"netraven:backed-up:{self.run_id}:{self.device_id}")


@dataclass(frozen=True)
class Failed:
    """No config, and no retry will bring one: the run records `error`."""

    error: str
    category: LogType = "job"  # "connection": the device got no session, for trust reasons
    refused: list[Login] = field(default_factory=list)
    offered_host_key: HostKey | None = None


@dataclass(frozen=True)
class Skipped:
    """No session at all: the device's circuit is open. The run records why and until when."""

    reason: str


@dataclass(frozen=True)
class Unreachable:
    """The device did not answer: tried again later, until the attempts run out."""

    error: str


@dataclass(frozen=True)
class Busy:
    """Another session holds the device (`holder` names its worker): tried again shortly."""

    holder: str


Outcome = Failed | Skipped | Unreachable | Busy


class BackupReport:
    def __init__(self, broker: NatsBroker, settings: WorkerSettings) -> None:
        self._broker = broker
        self._settings = settings
        self._oplog = OperatorLog(broker, "worker")

    async def report(
        self,
        outcome: Outcome,
        device: BackupDevice,
        ids: BackupIds,
        attempt: int,
        resolved_address: str | None = None,
    ) -> None:
        """Tell the run and the operator log how the backup ended without a config; an outcome
        worth another try raises `RetryLater` instead, once it is logged."""
        hostname, settings = device.hostname, self._settings
        match outcome:
            case Busy(holder=holder):
                delay = settings.lock_retry_seconds
                await self.emit(
                    "info",
                    "connection",
                    f"{hostname}: busy with another session "
                    f"({holder}); trying again in {delay:.0f} s",
                    ids,
                )
                raise RetryLater(delay)
            case Unreachable(error=error) if attempt < settings.max_attempts:
                delay = settings.retry_delay_seconds * 2 ** (attempt - 1)
                await self.emit(
                    "warning",
                    "connection",
                    f"{hostname}: {error}; attempt {attempt} of "
                    f"{settings.max_attempts}, retrying in {delay:.0f} s",
                    ids,
                )
                raise RetryLater(delay)
            case Unreachable(error=error):
                outcome = Failed(f"unreachable after {attempt} attempts: {error}")
        failed = outcome if isinstance(outcome, Failed) else Failed(outcome.reason)
        error = fitted(failed.error)
        await self.log_refused(device, ids, failed.refused)
        await publish_event(
            self._broker,
            DeviceBackupFailed(
                run_id=ids.run_id,
                job_id=ids.job_id,
                device_id=device.id,
                hostname=hostname,
                error=error,
                attempts=attempt,
                refused_credential_ids=[login.credential_id for login in failed.refused],
                offered_host_key=failed.offered_host_key,
                resolved_address=resolved_address,
                correlation_id=ids.correlation_id,
            ),
        )
        if isinstance(outcome, Skipped):
            await self.emit("warning", "connection", f"{hostname}: {error}", ids)
            return
        await self.emit("error", failed.category, f"{hostname}: backup failed: {error}", ids)
        log.warning("backup.failed", hostname=hostname, error=error)

    async def log_refused(self, device: BackupDevice, ids: BackupIds, refused: list[Login]) -> None:
        for login in refused:
            await self.emit(
                "warning",
                "connection",
                f"{device.hostname}: credential '{login.name}' was refused",
                ids,
                credential_id=str(login.credential_id),
            )

    async def emit(
        self, level: LogLevel, log_type: LogType, message: str, ids: BackupIds, **extra: Any
    ) -> None:
        await self._oplog.emit(level, log_type, message, **ids.fields(), **extra)
