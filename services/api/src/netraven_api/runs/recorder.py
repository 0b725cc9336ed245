"""Record what workers and gitkeeper report into runs and their per-device results.

Events for one device can arrive in any order (they travel on different consumers), so a result
never moves back from a final status. The database is believed, not the event: the api creates every
run and its results before the first request is sent, so an event naming a run the database lacks, a
device its run does not back up, another job, or the other kind of run is refused (`Rejected`) and
creates nothing. A result's hostname is the device's, written when the run was created.

A backup of a device given by DNS name records the address its session reached.

Backups also tell the api which credential logged in (it becomes the device's bound credential),
which SSH host key the device showed (pinned on first use, or kept as an offer an admin must accept)
and the facts the driver read (model, serial number, OS version: kept on the device).

`record` takes a batch of events of any kinds in one transaction, in a fixed number of statements
whatever its size: it locks the batch's runs (in id order) and reads their named results, applies
the events to those rows in memory in the order they came, then writes one statement per kind of
change (results, credential figures, host keys, reachability, facts) and refreshes each touched run
once.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias
from uuid import UUID

import structlog
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ResultStatus, RunStatus
from netraven_shared.events import (
    ConfigStored,
    DeviceBackedUp,
    DeviceBackupFailed,
    DeviceBackupStarted,
    DeviceReachabilityChecked,
)
from netraven_shared.host_keys import HostKey
from netraven_shared.rejection import Rejected
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.host_keys.repository import record_offer
from netraven_api.runs import repository
from netraven_api.runs.credential_figures import CredentialFigures
from netraven_api.runs.device_reports import (
    Facts,
    Reachability,
    SeenKey,
    keep_newest_checks,
    keep_newest_facts,
    pin_on_first_use,
)
from netraven_api.runs.progress import finish_runs_without_results, refresh_runs

log = structlog.get_logger()
_FINAL = (ResultStatus.SUCCEEDED, ResultStatus.FAILED, ResultStatus.CANCELLED)
Report: TypeAlias = (
    DeviceBackupStarted
    | ConfigStored
    | DeviceBackupFailed
    | DeviceBackedUp
    | DeviceReachabilityChecked
)


@dataclass
class _Result:
    """A result row as the batch changes it; `repository.RESULT_COLUMNS` in order."""

    run_id: UUID
    device_id: UUID
    status: str
    error: str | None
    attempts: int
    credential_id: UUID | None
    resolved_address: str | None
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime

    def finish(self, status: ResultStatus, error: str | None, at: datetime) -> bool:
        """Move to a final status; False if it already had one."""
        if self.status in _FINAL:
            return False
        self.status, self.error = status, error
        self.finished_at = self.updated_at = at
        self.started_at = self.started_at or at
        return True

    def row(self) -> tuple[Any, ...]:
        """The columns, in `repository.RESULT_COLUMNS` order."""
        return (
            self.run_id,
            self.device_id,
            self.status,
            self.error,
            self.attempts,
            self.credential_id,
            self.resolved_address,
            self.started_at,
            self.finished_at,
            self.updated_at,
        )


class _Batch:
    def __init__(self, runs: list[Row[Any]], results: list[Row[Any]], figures: CredentialFigures):
        self.now = utc_now()
        self.figures = figures
        self._runs = {run.id: run for run in runs}
        self._read = {tuple(r) for r in results}
        self._results = {(r[0], r[1]): _Result(*r) for r in self._read}
        self.touched_runs: set[UUID] = set()
        self.runs_failed_early: set[UUID] = set()
        self.seen_keys: list[SeenKey] = []
        self.offers: list[tuple[UUID, HostKey, datetime]] = []  # (device, key, seen at)
        self.checks: list[Reachability] = []
        self.facts: list[Facts] = []

    def check_run(self, run_id: UUID, job_id: UUID | None, kind: str | None) -> None:
        """Refuse an event the run does not agree with on job and kind (`kind` None: either)."""
        run = self._runs.get(run_id)
        if run is None:
            raise Rejected(f"run {run_id} is not in the database")
        if job_id is not None and job_id != run.job_id:
            raise Rejected(f"run {run_id} is not a run of job {job_id}")
        if kind is not None and run.kind != kind:
            raise Rejected(f"run {run_id} is a {run.kind} run, not a {kind} run")

    def result(self, run_id: UUID, device_id: UUID) -> _Result:
        """A result of a checked run: a run's results are all created with it, so an event naming a
        device the run does not back up is refused."""
        result = self._results.get((run_id, device_id))
        if result is None:
            raise Rejected(f"run {run_id} has no result for device {device_id}")
        return result

    async def write(self, session: AsyncSession) -> None:
        rows = (result.row() for result in self._results.values())
        await repository.update_results(session, [row for row in rows if row not in self._read])
        await self.figures.write(session)
        for refused in await pin_on_first_use(session, self.seen_keys):
            seen, pinned = refused
            # The worker verified against the pin it read: an admin changed it meanwhile, and
            # theirs stands.
            log.warning(
                "run_recorder.host_key_not_repinned",
                device_id=str(seen.device_id),
                run_id=str(seen.run_id),
                pinned=pinned,
                reported=seen.key.fingerprint,
            )
        for device_id, key, seen_at in self.offers:
            await record_offer(session, device_id, key, seen_at)
        await keep_newest_checks(session, self.checks)
        await keep_newest_facts(session, self.facts)
        await finish_runs_without_results(
            session, self.runs_failed_early, self.now, RunStatus.FAILED
        )
        await refresh_runs(session, self.touched_runs, self.now)


def _started(batch: _Batch, event: DeviceBackupStarted) -> None:
    batch.check_run(event.run_id, event.job_id, "backup")
    result = batch.result(event.run_id, event.device_id)
    result.attempts = max(result.attempts, event.attempt)
    if result.status not in _FINAL:
        result.status = ResultStatus.RUNNING
        result.started_at = result.started_at or event.occurred_at
        result.updated_at = batch.now
    batch.touched_runs.add(event.run_id)


def _stored(batch: _Batch, event: ConfigStored) -> None:
    batch.check_run(event.run_id, None, "backup")
    batch.result(event.run_id, event.device_id).finish(
        ResultStatus.SUCCEEDED, None, event.occurred_at
    )
    batch.touched_runs.add(event.run_id)


def _failed(batch: _Batch, event: DeviceBackupFailed) -> None:
    batch.check_run(event.run_id, event.job_id, None)
    if event.device_id is None:
        batch.runs_failed_early.add(event.run_id)
        return
    result = batch.result(event.run_id, event.device_id)
    result.attempts = max(result.attempts, event.attempts)
    if result.finish(ResultStatus.FAILED, event.error, event.occurred_at):
        batch.figures.count_failures(result.device_id, event.refused_credential_ids)
        result.resolved_address = event.resolved_address
    if event.offered_host_key is not None:
        batch.offers.append((result.device_id, event.offered_host_key, event.occurred_at))
    batch.touched_runs.add(event.run_id)


def _collected(batch: _Batch, event: DeviceBackedUp) -> None:
    """The worker has the config (gitkeeper will report it stored): note which credential worked,
    the host key the session verified and the facts the driver read."""
    batch.check_run(event.run_id, event.job_id, "backup")
    result = batch.result(event.run_id, event.device_id)
    result.resolved_address = event.resolved_address or result.resolved_address
    logged_in = event.credential_id
    if (
        logged_in is not None
        and result.credential_id is None
        and batch.figures.count_success(result.device_id, logged_in, event.refused_credential_ids)
    ):
        result.credential_id = logged_in
    if logged_in is not None and result.credential_id == logged_in:  # one the device may use
        batch.figures.bind(result.device_id, logged_in)
    if event.host_key is not None:
        batch.seen_keys.append(
            SeenKey(result.device_id, event.run_id, event.host_key, event.occurred_at)
        )
    if (facts := event.facts) is not None:
        batch.facts.append(
            Facts(
                result.device_id,
                facts.model,
                facts.serial_number,
                facts.os_version,
                event.collected_at,
            )
        )


def _checked(batch: _Batch, event: DeviceReachabilityChecked) -> None:
    """The check is the device's whole result in its run, and becomes the device's reachability."""
    batch.check_run(event.run_id, event.job_id, "reachability")
    result = batch.result(event.run_id, event.device_id)
    result.attempts = max(result.attempts, 1)
    status = ResultStatus.SUCCEEDED if event.reachable else ResultStatus.FAILED
    result.finish(status, None if event.reachable else event.error, event.occurred_at)
    batch.touched_runs.add(event.run_id)
    batch.checks.append(
        Reachability(
            event.device_id, event.reachable, event.latency_ms, event.error, event.occurred_at
        )
    )


_APPLY: dict[type[Report], Callable[[_Batch, Any], None]] = {
    DeviceBackupStarted: _started,
    ConfigStored: _stored,
    DeviceBackupFailed: _failed,
    DeviceBackedUp: _collected,
    DeviceReachabilityChecked: _checked,
}


async def record(session: AsyncSession, events: Sequence[Report]) -> None:
    """Record `events` in `session`'s transaction."""
    runs = await repository.lock_runs(session, {event.run_id for event in events})
    locked = {run.id for run in runs}
    keys = {
        (event.run_id, event.device_id)
        for event in events
        if event.run_id in locked and event.device_id is not None
    }
    results = await repository.results_named(session, keys) if keys else []
    figures = await CredentialFigures.read(session, _credentials_tried(events))
    batch = _Batch(runs, results, figures)
    for event in events:
        _APPLY[type(event)](batch, event)
    await batch.write(session)


def _credentials_tried(events: Sequence[Report]) -> set[tuple[UUID, UUID]]:
    """The (device, credential) pairs the events report logging in with or being refused."""
    tried: set[tuple[UUID, UUID]] = set()
    for event in events:
        if isinstance(event, DeviceBackedUp):
            named = [event.credential_id, *event.refused_credential_ids]
        elif isinstance(event, DeviceBackupFailed):
            named = list(event.refused_credential_ids)
        else:
            continue
        if (device_id := event.device_id) is not None:
            tried |= {(device_id, c) for c in named if c is not None}
    return tried


async def record_started(session: AsyncSession, event: DeviceBackupStarted) -> None:
    await record(session, [event])


async def record_stored(session: AsyncSession, event: ConfigStored) -> None:
    await record(session, [event])


async def record_failed(session: AsyncSession, event: DeviceBackupFailed) -> None:
    await record(session, [event])


async def record_collected(session: AsyncSession, event: DeviceBackedUp) -> None:
    await record(session, [event])


async def record_reachability(session: AsyncSession, event: DeviceReachabilityChecked) -> None:
    await record(session, [event])
