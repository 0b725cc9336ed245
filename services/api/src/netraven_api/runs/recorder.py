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
change (results, credential figures, host keys, reachability, facts) and moves each run its results
moved on (report_batch.py, progress.py).
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias
from uuid import UUID

from netraven_shared.db.models import ResultStatus
from netraven_shared.events import (
    ConfigStored,
    DeviceBackedUp,
    DeviceBackupFailed,
    DeviceBackupStarted,
    DeviceReachabilityChecked,
)
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.runs import repository
from netraven_api.runs.credential_figures import CredentialFigures
from netraven_api.runs.device_reports import Facts, Reachability, SeenKey
from netraven_api.runs.report_batch import FINAL, ReportBatch

Report: TypeAlias = (
    DeviceBackupStarted
    | ConfigStored
    | DeviceBackupFailed
    | DeviceBackedUp
    | DeviceReachabilityChecked
)


def _started(batch: ReportBatch, event: DeviceBackupStarted) -> None:
    batch.check_run(event.run_id, event.job_id, "backup")
    result = batch.result(event.run_id, event.device_id)
    result.attempts = max(result.attempts, event.attempt)
    if result.status not in FINAL:
        result.status = ResultStatus.RUNNING
        result.started_at = result.started_at or event.occurred_at
        result.updated_at = batch.now


def _stored(batch: ReportBatch, event: ConfigStored) -> None:
    batch.check_run(event.run_id, None, "backup")
    batch.result(event.run_id, event.device_id).finish(
        ResultStatus.SUCCEEDED, None, event.occurred_at
    )


def _failed(batch: ReportBatch, event: DeviceBackupFailed) -> None:
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


def _collected(batch: ReportBatch, event: DeviceBackedUp) -> None:
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


def _checked(batch: ReportBatch, event: DeviceReachabilityChecked) -> None:
    """The check is the device's whole result in its run, and becomes the device's reachability."""
    batch.check_run(event.run_id, event.job_id, "reachability")
    result = batch.result(event.run_id, event.device_id)
    result.attempts = max(result.attempts, 1)
    status = ResultStatus.SUCCEEDED if event.reachable else ResultStatus.FAILED
    result.finish(status, None if event.reachable else event.error, event.occurred_at)
    batch.checks.append(
        Reachability(
            event.device_id, event.reachable, event.latency_ms, event.error, event.occurred_at
        )
    )


_APPLY: dict[type[Report], Callable[[ReportBatch, Any], None]] = {
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
    batch = ReportBatch(runs, results, figures)
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
