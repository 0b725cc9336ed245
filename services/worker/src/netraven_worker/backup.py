"""Back up one device for one `JobDispatched`: the worker's whole job, step by step."""

import asyncio
import time
from uuid import UUID

import structlog
from faststream.nats import NatsBroker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_shared.config_transport import config_fields
from netraven_shared.crypto import CredentialCipher, MissingCredentialKey
from netraven_shared.events import DeviceBackedUp, DeviceBackupFailed, DeviceBackupStarted, JobDispatched
from netraven_shared.events.base import fitted, utc_now
from netraven_shared.events.logs import LogType
from netraven_shared.host_keys import HostKey
from netraven_shared.messaging import publish_event
from netraven_shared.operator_log import OperatorLog
from netraven_shared.outage import retried_through_outages
from netraven_worker.collector import Collect
from netraven_worker.config import WorkerSettings
from netraven_worker.credential_plan import plan_credentials
from netraven_shared.drivers.pipeline import stored_config
from netraven_shared.drivers.registry import UnknownPlatform, driver_for
from netraven_worker.guard import DeviceGuard
from netraven_worker.inventory import BackupDevice, find_backup_device, in_its_run, logins_for
from netraven_worker.login_cache import LoginCache
from netraven_worker.management_networks import outside_management_networks
from netraven_worker.read_timeout import with_scaled_read
from netraven_worker.retry import RetryLater
from netraven_worker.session import (
    AuthenticationFailed, DeviceUnreachable, HostKeyNotTrusted, Login, PermanentFailure, Target, Timeouts, collect_config,
)

log = structlog.get_logger()


class BackupService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        broker: NatsBroker,
        cipher: CredentialCipher,
        settings: WorkerSettings,
        collect: Collect = collect_config,
        guard: DeviceGuard | None = None,
    ) -> None:
        self._sessions = sessions
        self._broker = broker
        self._cipher = cipher
        self._settings = settings
        self._collect = collect
        self._oplog = OperatorLog(broker, "worker")
        self._guard = guard or DeviceGuard(broker, settings, self._oplog)
        self._logins = LoginCache(settings.credential_cache_seconds)

    async def back_up(self, request: JobDispatched, attempt: int) -> None:
        run_id = request.run_id
        ids = {"job_id": request.job_id, "run_id": run_id, "correlation_id": request.correlation_id}
        found, logins = await retried_through_outages(lambda: self._read(request, run_id), "worker: device and credentials")
        device = in_its_run(found, request.device_id, run_id)
        if device.settled:  # a legitimate redelivery or a cancelled result: nothing to do
            log.info("backup.skipped_settled", run_id=str(run_id), device_id=str(device.id), result=device.result_status)
            return
        ids["device_id"] = device.id
        structlog.contextvars.bind_contextvars(run_id=str(run_id), device_id=str(device.id))
        try:
            spec = driver_for(device.device_type)
        except UnknownPlatform as error:
            await self._fail(request, run_id, device.id, device.hostname, str(error), attempt)
            return
        if isinstance(logins, MissingCredentialKey):
            await self._fail(request, run_id, device.id, device.hostname, f"{logins}: no session was opened", attempt)
            return
        if outside := outside_management_networks(device.ip_address, device.management_networks):
            await self._fail(request, run_id, device.id, device.hostname, f"{outside}: no credential was sent", attempt, category="connection")
            return
        if skip := await self._guard.skip_reason(device.id):
            await self._skip(request, run_id, device, skip, attempt)
            return
        await publish_event(self._broker, DeviceBackupStarted(
            run_id=run_id, job_id=request.job_id, device_id=device.id, hostname=device.hostname,
            worker_id=self._settings.worker_id, attempt=attempt, correlation_id=request.correlation_id,
        ))
        target = Target(
            device.hostname, device.ip_address, device.port, spec, device.legacy_ssh,
            pinned_host_key=device.pinned_host_key, strict_host_key=self._settings.host_key_policy == "strict",
        )
        plan = plan_credentials(logins, device.bound_credential_id, device.pinned_host_key is not None, self._settings.max_credential_attempts)
        timeouts = Timeouts.for_device(device.timeout_seconds, Timeouts(self._settings.connect_timeout, self._settings.read_timeout))
        timeouts = with_scaled_read(timeouts, device.last_config_bytes, self._settings)
        started = time.monotonic()
        try:
            collected = await self._guard.run_session(device, ids, lambda: asyncio.to_thread(self._collect, target, plan.logins, timeouts))
        except HostKeyNotTrusted as error:
            await self._log_refused(device, ids, error.refused)
            await self._fail(
                request, run_id, device.id, device.hostname, str(error), attempt, [login.credential_id for login in error.refused],
                offered_host_key=error.offered, category="connection",
            )
            return
        except PermanentFailure as error:
            await self._log_refused(device, ids, error.refused)
            message = f"{error}; {plan.held_back}" if isinstance(error, AuthenticationFailed) and plan.held_back else str(error)
            await self._fail(request, run_id, device.id, device.hostname, message, attempt, [login.credential_id for login in error.refused])
            return
        except DeviceUnreachable as error:
            await self._retry_or_fail(request, run_id, device, fitted(str(error)), attempt)
            return
        await self._log_refused(device, ids, collected.refused_logins)
        await self._oplog.emit("info", "connection", f"{device.hostname}: logged in as credential '{collected.login.name}'", **ids, credential_id=str(collected.login.credential_id))
        # Redaction of a large config takes a while: off the event loop, like the session itself.
        text = (await asyncio.to_thread(stored_config, collected.raw, spec)).replace("\x00", "")  # no event, index or diff may carry a NUL byte
        fields = await config_fields(self._broker, text)
        await publish_event(self._broker, DeviceBackedUp(
            run_id=run_id, job_id=request.job_id, device_id=device.id, hostname=device.hostname,
            device_type=device.device_type, collected_at=utc_now(), credential_id=collected.login.credential_id,
            refused_credential_ids=[login.credential_id for login in collected.refused_logins],
            host_key=collected.host_key, correlation_id=request.correlation_id, **fields,
        ))
        elapsed_ms = round((time.monotonic() - started) * 1000)
        await self._oplog.emit("info", "job", f"{device.hostname}: config collected ({fields['size_bytes']} bytes, secrets redacted)", **ids, elapsed_ms=elapsed_ms)
        log.info("backup.collected", hostname=device.hostname, bytes=fields["size_bytes"], elapsed_ms=elapsed_ms)

    async def _read(self, request: JobDispatched, run_id: UUID) -> tuple[BackupDevice | None, list[Login] | MissingCredentialKey]:
        """The device and the logins to try, or why they cannot be decrypted (the ring lacks a key). While
        PostgreSQL is unreachable the caller retries this, holding the message in progress: a nak would spend
        one of its few deliveries."""
        async with self._sessions() as session:
            device = await find_backup_device(session, request.device_id, run_id)
            if device is None or device.settled:
                return device, []
            try:
                return device, await self._logins.logins(device.tag_ids, lambda: logins_for(session, device.tag_ids, self._cipher))
            except MissingCredentialKey as error:
                return device, error

    async def _log_refused(self, device: BackupDevice, ids: dict, refused: list[Login]) -> None:
        for login in refused:
            await self._oplog.emit("warning", "connection", f"{device.hostname}: credential '{login.name}' was refused", **ids, credential_id=str(login.credential_id))

    async def _retry_or_fail(self, request: JobDispatched, run_id: UUID, device: BackupDevice, error: str, attempt: int) -> None:
        if attempt >= self._settings.max_attempts:
            await self._fail(request, run_id, device.id, device.hostname, f"unreachable after {attempt} attempts: {error}", attempt)
            return
        delay = self._settings.retry_delay_seconds * 2 ** (attempt - 1)
        await self._oplog.emit("warning", "connection", (f"{device.hostname}: {error}; attempt {attempt} of " f"{self._settings.max_attempts}, retrying in {delay:.0f} s"), job_id=request.job_id, run_id=run_id, device_id=device.id, correlation_id=request.correlation_id)
        raise RetryLater(delay)

    async def _skip(self, request: JobDispatched, run_id: UUID, device: BackupDevice, reason: str, attempt: int) -> None:
        """No session at all (the device's circuit is open): a failed result that says why and until when."""
        await publish_event(self._broker, DeviceBackupFailed(
            run_id=run_id, job_id=request.job_id, device_id=device.id, hostname=device.hostname, error=fitted(reason),
            attempts=attempt, correlation_id=request.correlation_id,
        ))
        await self._oplog.emit("warning", "connection", f"{device.hostname}: {reason}", job_id=request.job_id, run_id=run_id, device_id=device.id, correlation_id=request.correlation_id)

    async def _fail(
        self, request: JobDispatched, run_id: UUID, device_id: UUID, hostname: str, error: str, attempt: int,
        refused_credential_ids: list[UUID] | None = None, offered_host_key: HostKey | None = None, category: LogType = "job",
    ) -> None:
        """A failed result; `category` "connection" when the device was refused a session for trust reasons."""
        error = fitted(error)
        await publish_event(self._broker, DeviceBackupFailed(
            run_id=run_id, job_id=request.job_id, device_id=device_id, hostname=hostname, error=error,
            attempts=attempt, refused_credential_ids=refused_credential_ids or [], offered_host_key=offered_host_key,
            correlation_id=request.correlation_id,
        ))
        await self._oplog.emit("error", category, f"{hostname}: backup failed: {error}", job_id=request.job_id, run_id=run_id, device_id=device_id, correlation_id=request.correlation_id)
        log.warning("backup.failed", hostname=hostname, error=error)
