"""Back up one device for one `JobDispatched`: the worker's whole job, step by step.

`back_up` reads the device, then walks the steps top to bottom (`_walk`): refusals that need no
session, the circuit, the session under the device's lock, then the stored config. A walk that
ends short of a config returns its `Outcome`, and `BackupReport` (report.py) tells the run and the
operator log.

What a good backup costs on the bus, and why each is there:

- a share of one PostgreSQL read: the devices of the backups that start together are read by one
  prepared statement on one pooled connection (device_batch.py); its logins come from
  `LoginCache` and the operators' config filters from `FilterCache` most of the time;
- three KV round trips (`guard.DeviceGuard`): take the device's lock, read its circuit, release.
  The circuit is read from the bucket, not from a view kept by a watch: the previous session's
  failure, counted by another worker just before it released the lock, must be seen, and a watch
  of the circuits has no order with the locks' bucket;
- `DeviceBackupStarted`: the run shows the device as running, on which worker and which attempt;
- `DeviceBackedUp`: the result itself, with the driver's extra outputs (redacted, or why each is
  missing: outputs.py) and the facts read from them; gitkeeper stores the config and the outputs,
  the run recorder settles it and keeps the facts;
- `LogEmitted` "config collected as credential '…' with its key (… bytes, secrets redacted)": the
  operator log's one line for the backup, naming the login that worked, which of its secrets (key
  or password) the device accepted, and the config filters (with their versions) that applied; a
  warning line for each refused login comes before it, only when some were refused. Lines of
  backups finishing in the same loop turn share one message (`OperatorLog.emit`);
- the ack of the `JobDispatched` (no reply awaited) and its share of the pull request that
  brought it (in_flight.py: one request for as many dispatches as there are free slots).

A backup that ends without a config sends `DeviceBackupFailed` and its error or warning line
instead of the last two.
"""

import asyncio
import time

import structlog
from faststream.nats import NatsBroker
from netraven_shared.config_transport import config_fields
from netraven_shared.crypto import CredentialCipher, MissingCredentialKey
from netraven_shared.drivers.catalog import DriverCatalog, UnknownPlatform
from netraven_shared.drivers.pipeline import RunawayRedaction
from netraven_shared.drivers.spec import OperatorFilter
from netraven_shared.events import (
    DeviceBackedUp,
    DeviceBackupStarted,
)
from netraven_shared.events.base import fitted, utc_now
from netraven_shared.management_scope import outside_management_networks
from netraven_shared.messaging import publish_event
from netraven_shared.outage import retried_through_outages
from netraven_shared.tracing.carrier import annotate
from sqlalchemy.ext.asyncio import AsyncEngine

from netraven_worker.address import CannotResolve, resolved_by_name, resolved_or_why
from netraven_worker.backup_metrics import count_backup, timed_session
from netraven_worker.backup_read import DeviceReader, Dispatch, database_reader
from netraven_worker.collection import (
    AuthenticationFailed,
    Collect,
    Collected,
    DeviceUnreachable,
    HostKeyNotTrusted,
    Login,
    PermanentFailure,
    Target,
)
from netraven_worker.config import WorkerSettings
from netraven_worker.credential_plan import plan_credentials
from netraven_worker.filters import (
    named,
    uncompilable,
)
from netraven_worker.guard import CircuitOpen, DeviceBusy, DeviceGuard
from netraven_worker.inputs import collect_by_input
from netraven_worker.inventory import (
    BackupDevice,
    in_its_run,
)
from netraven_worker.jump_host import JumpHost
from netraven_worker.kept import Stored, kept
from netraven_worker.outputs import published_outputs
from netraven_worker.report import (
    BackupIds,
    BackupReport,
    Busy,
    Failed,
    Outcome,
    Skipped,
    Unreachable,
)
from netraven_worker.session import JumpHostFailed
from netraven_worker.timeouts import backup_timeouts

log = structlog.get_logger()


class BackupService:
    def __init__(
        self,
        engine: AsyncEngine | None,
        broker: NatsBroker,
        cipher: CredentialCipher | None,
        settings: WorkerSettings,
        catalog: DriverCatalog,
        collect: Collect = collect_by_input,
        guard: DeviceGuard | None = None,
        reader: DeviceReader | None = None,
    ) -> None:
        """`reader`: where the device and its logins come from; by default PostgreSQL through
        `engine` and `cipher` (a remote site's collector passes its `SealedReader` and neither)."""
        self._catalog = catalog
        self._broker = broker
        self._settings = settings
        self._collect = collect
        self._report = BackupReport(broker, settings)
        self._guard = guard or DeviceGuard(broker, settings)
        self._reader = reader or database_reader(engine, cipher, settings)

    async def open_guard(self) -> None:
        """At start: the device locks and circuits are ready before the first dispatch."""
        await self._guard.open()

    async def back_up(self, request: Dispatch, attempt: int) -> None:
        found, logins, filters, jump_host = await retried_through_outages(
            lambda: self._reader.read(request), "worker: device and credentials"
        )
        device = in_its_run(found, request.device_id, request.run_id)
        annotate(platform=device.device_type)
        if device.settled:  # a legitimate redelivery or a cancelled result: nothing to do
            log.info(
                "backup.skipped_settled",
                run_id=str(request.run_id),
                device_id=str(device.id),
                result=device.result_status,
            )
            annotate(outcome="already_settled")
            return
        ids = BackupIds.of(request, device.id)
        logged = {name: str(value) for name, value in ids.fields().items()}
        with structlog.contextvars.bound_contextvars(**logged):
            # Behind a jump host the name is the bastion's to resolve.
            address = (
                device.ip_address
                if jump_host is not None
                else await resolved_or_why(device.ip_address, self._connect_timeout(device))
            )
            outcome = await self._walk(device, address, logins, filters, jump_host, ids, attempt)
            annotate(outcome="backed_up" if outcome is None else type(outcome).__name__.lower())
            count_backup(outcome, device.device_type)
            if outcome is not None:
                resolved = resolved_by_name(device.ip_address, address)
                await self._report.report(outcome, device, ids, attempt, resolved)

    def _connect_timeout(self, device: BackupDevice) -> float:
        return device.timeout_seconds or self._settings.connect_timeout

    async def _walk(
        self,
        device: BackupDevice,
        address: str | CannotResolve,
        logins: list[Login] | MissingCredentialKey,
        filters: tuple[OperatorFilter, ...],
        jump_host: JumpHost | None,
        ids: BackupIds,
        attempt: int,
    ) -> Outcome | None:
        """The backup's steps in order: how it ended short of a config, or None once stored."""
        try:
            spec = self._catalog.driver_for(device.device_type)
        except UnknownPlatform as error:
            return Failed(str(error))
        if isinstance(logins, MissingCredentialKey):
            return Failed(f"{logins}: no session was opened")
        if broken := uncompilable(filters):
            return Failed(f"{broken}: no session was opened")
        if isinstance(address, CannotResolve):
            return Unreachable(fitted(str(address)))
        if outside := outside_management_networks(address, device.management_networks):
            return Failed(f"{outside}: no credential was sent", category="connection")
        target = Target(
            device.hostname,
            address,
            device.port,
            spec,
            device.legacy_ssh,
            pinned_host_key=device.pinned_host_key,
            strict_host_key=self._settings.host_key_policy == "strict",
            transport="telnet" if device.transport == "telnet" else "ssh",
            jump_host=jump_host,
        )
        plan = plan_credentials(
            logins,
            device.bound_credential_id,
            device.pinned_host_key is not None and target.transport == "ssh",
            self._settings.max_credential_attempts,
        )
        timeouts = backup_timeouts(device.timeout_seconds, device.last_config_bytes, self._settings)
        started = time.monotonic()
        try:
            async with self._guard.held(device.id, ids.run_id) as guarded:
                await publish_event(
                    self._broker,
                    DeviceBackupStarted(
                        run_id=ids.run_id,
                        job_id=ids.job_id,
                        device_id=device.id,
                        hostname=device.hostname,
                        worker_id=self._settings.worker_id,
                        attempt=attempt,
                        correlation_id=ids.correlation_id,
                    ),
                )
                collected = await guarded.run(
                    lambda: timed_session(
                        device.device_type,
                        asyncio.to_thread(self._collect, target, plan.logins, timeouts),
                    )
                )
        except DeviceBusy as busy:
            return Busy(busy.holder)
        except CircuitOpen as circuit_open:
            return Skipped(str(circuit_open))
        except HostKeyNotTrusted as error:
            return Failed(str(error), "connection", error.refused, offered_host_key=error.offered)
        except JumpHostFailed as error:
            return Failed(str(error), "connection")
        except PermanentFailure as error:
            held_back = isinstance(error, AuthenticationFailed) and plan.held_back
            message = f"{error}; {plan.held_back}" if held_back else str(error)
            return Failed(message, refused=error.refused)
        except DeviceUnreachable as error:
            return Unreachable(fitted(str(error)))
        try:
            stored = await kept(
                collected, spec, filters, resolved_by_name(device.ip_address, address)
            )
        except RunawayRedaction as error:
            return Failed(f"{error}: the config was not stored")
        await self._store(collected, stored, filters, device, ids, started)
        return None

    async def _store(
        self,
        collected: Collected,
        stored: Stored,
        filters: tuple[OperatorFilter, ...],
        device: BackupDevice,
        ids: BackupIds,
        started: float,
    ) -> None:
        login, refused = collected.login, collected.refused_logins
        applied = f"; config filters {', '.join(named(filters))}" if filters else ""
        await self._report.log_refused(device, ids, refused)
        text = stored.config.replace("\x00", "")
        fields = await config_fields(self._broker, text)  # no event, index or diff may carry a NUL
        outputs = await published_outputs(self._broker, collected.outputs, stored.outputs)
        missing = "".join(f"; {o.name} missing: {o.missing}" for o in outputs if o.missing)
        elapsed_ms = round((time.monotonic() - started) * 1000)
        size = fields["size_bytes"]
        # The result and its line (sent with this turn's other lines) are acked before the dispatch.
        await asyncio.gather(
            publish_event(
                self._broker,
                DeviceBackedUp(
                    event_id=ids.backed_up_event_id,
                    run_id=ids.run_id,
                    job_id=ids.job_id,
                    device_id=device.id,
                    hostname=device.hostname,
                    device_type=device.device_type,
                    collected_at=utc_now(),
                    credential_id=login.credential_id,
                    refused_credential_ids=[each.credential_id for each in refused],
                    host_key=collected.host_key,
                    resolved_address=stored.resolved_address,
                    correlation_id=ids.correlation_id,
                    outputs=outputs,
                    facts=stored.facts,
                    **fields,
                ),
            ),
            self._report.emit(
                "warning" if missing else "info",
                "job",
                f"{device.hostname}: config collected as credential '{login.name}'"
                f"{_with(collected)} ({size} bytes, secrets redacted{applied}){missing}",
                ids,
                credential_id=str(login.credential_id),
                **({"config_filters": named(filters)} if filters else {}),
                elapsed_ms=elapsed_ms,
            ),
        )
        log.info("backup.collected", hostname=device.hostname, bytes=size, elapsed_ms=elapsed_ms)


def _with(collected: Collected) -> str:
    """Which of the credential's secrets logged in, when paramiko said."""
    if collected.logged_in_with is None:
        return ""
    return f" with its {collected.logged_in_with}"
