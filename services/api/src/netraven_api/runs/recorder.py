"""Record what workers and gitkeeper report into runs and their per-device results.

Events for one device can arrive in any order (they travel on different consumers), so a result
never moves back from a final status. The database is believed, not the event: the api creates every
run and its results before the first request is sent, so an event naming a run the database lacks, a
device its run does not back up, another job, or the other kind of run is refused (`Rejected`) and
creates nothing. A result's hostname is the device's, written when the run was created.
"""

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.devices.repository import record_reachability as record_device_reachability
from netraven_api.runs.credential_figures import count_failures, count_success
from netraven_api.runs.progress import existing_result, locked_run, refresh_run_status
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ResultStatus, Run, RunResult, RunStatus
from netraven_shared.events import (
    ConfigStored, DeviceBackedUp, DeviceBackupFailed, DeviceBackupStarted, DeviceReachabilityChecked,
)
from netraven_shared.rejection import Rejected

_FINAL = (ResultStatus.SUCCEEDED, ResultStatus.FAILED, ResultStatus.CANCELLED)


async def _run(session: AsyncSession, run_id: UUID, job_id: UUID | None, kind: str | None) -> Run:
    """The event's run, locked, if the event agrees with it on job and kind (`kind` None: either kind)."""
    run = await locked_run(session, run_id)
    if job_id is not None and job_id != run.job_id:
        raise Rejected(f"run {run_id} is not a run of job {job_id}")
    if kind is not None and run.kind != kind:
        raise Rejected(f"run {run_id} is a {run.kind} run, not a {kind} run")
    return run


def _finish(result: RunResult, status: ResultStatus, error: str | None, at: datetime) -> bool:
    """Move the result to a final status; False if it already had one."""
    if result.status in _FINAL:
        return False
    result.status, result.error = status, error
    result.finished_at = result.updated_at = at
    result.started_at = result.started_at or at
    return True


async def record_started(session: AsyncSession, event: DeviceBackupStarted) -> None:
    run = await _run(session, event.run_id, event.job_id, "backup")
    result = await existing_result(session, event.run_id, event.device_id)
    result.attempts = max(result.attempts, event.attempt)
    if result.status not in _FINAL:
        result.status = ResultStatus.RUNNING
        result.started_at = result.started_at or event.occurred_at
        result.updated_at = utc_now()
    await refresh_run_status(session, run)


async def record_stored(session: AsyncSession, event: ConfigStored) -> None:
    run = await _run(session, event.run_id, None, "backup")
    result = await existing_result(session, event.run_id, event.device_id)
    _finish(result, ResultStatus.SUCCEEDED, None, event.occurred_at)
    await refresh_run_status(session, run)


async def record_failed(session: AsyncSession, event: DeviceBackupFailed) -> None:
    run = await _run(session, event.run_id, event.job_id, None)
    if event.device_id is None:
        if not run.results:
            run.status, run.finished_at = RunStatus.FAILED, utc_now()
        return
    result = await existing_result(session, event.run_id, event.device_id)
    result.attempts = max(result.attempts, event.attempts)
    if _finish(result, ResultStatus.FAILED, event.error, event.occurred_at):
        await count_failures(session, result.device_id, event.refused_credential_ids)
    await refresh_run_status(session, run)


async def record_collected(session: AsyncSession, event: DeviceBackedUp) -> None:
    """The worker has the config (gitkeeper will report it stored): note which credential worked."""
    await _run(session, event.run_id, event.job_id, "backup")
    result = await existing_result(session, event.run_id, event.device_id)
    await count_success(session, result, event.credential_id, event.refused_credential_ids)


async def record_reachability(session: AsyncSession, event: DeviceReachabilityChecked) -> None:
    """The check is the device's whole result in its run, and becomes the device's reachability."""
    run = await _run(session, event.run_id, event.job_id, "reachability")
    result = await existing_result(session, event.run_id, event.device_id)
    result.attempts = max(result.attempts, 1)
    status = ResultStatus.SUCCEEDED if event.reachable else ResultStatus.FAILED
    _finish(result, status, None if event.reachable else event.error, event.occurred_at)
    await refresh_run_status(session, run)
    await record_device_reachability(session, event.device_id, event.reachable, event.latency_ms, event.error, event.occurred_at)
