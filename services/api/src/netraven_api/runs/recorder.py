"""Record what workers and gitkeeper report into runs and their per-device results.

Events for one device can arrive in any order (they travel on different consumers), so a result
never moves back from a final status. The database is believed, not the event: the api creates every
run and its results before the first request is sent, so an event naming a run the database lacks, a
device its run does not back up, another job, or the other kind of run is refused (`Rejected`) and
creates nothing. A result's hostname is the device's, written when the run was created.

Backups also tell the api which credential logged in (it becomes the device's bound credential) and
which SSH host key the device showed: pinned on first use, or kept as an offer an admin must accept.
"""

from datetime import datetime
from uuid import UUID

import structlog
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ResultStatus, Run, RunResult, RunStatus
from netraven_shared.events import (
    ConfigStored,
    DeviceBackedUp,
    DeviceBackupFailed,
    DeviceBackupStarted,
    DeviceReachabilityChecked,
)
from netraven_shared.rejection import Rejected
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.devices.repository import record_reachability as record_device_reachability
from netraven_api.host_keys.repository import pin_on_first_use, record_offer
from netraven_api.runs import repository as runs_repository
from netraven_api.runs.credential_figures import bind, count_failures, count_success
from netraven_api.runs.progress import existing_result, locked_run, refresh_run_status

log = structlog.get_logger()
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
        if not await runs_repository.has_results(session, run.id):
            run.status, run.finished_at = RunStatus.FAILED, utc_now()
        return
    result = await existing_result(session, event.run_id, event.device_id)
    result.attempts = max(result.attempts, event.attempts)
    if _finish(result, ResultStatus.FAILED, event.error, event.occurred_at):
        await count_failures(session, result.device_id, event.refused_credential_ids)
    if event.offered_host_key is not None:
        await record_offer(session, result.device_id, event.offered_host_key, event.occurred_at)
    await refresh_run_status(session, run)


async def record_collected(session: AsyncSession, event: DeviceBackedUp) -> None:
    """The worker has the config (gitkeeper will report it stored): note which credential worked and
    the host key the session verified."""
    await _run(session, event.run_id, event.job_id, "backup")
    result = await existing_result(session, event.run_id, event.device_id)
    await count_success(session, result, event.credential_id, event.refused_credential_ids)
    if (
        event.credential_id is not None and result.credential_id == event.credential_id
    ):  # one the device may use
        await bind(session, result.device_id, event.credential_id)
    if event.host_key is not None:
        pinned = await pin_on_first_use(
            session, result.device_id, event.host_key, event.occurred_at
        )
        if pinned is not None:
            # The worker verified against the pin it read, so an admin changed the pin meanwhile: theirs stands.
            log.warning(
                "run_recorder.host_key_not_repinned",
                device_id=str(result.device_id),
                run_id=str(event.run_id),
                pinned=pinned,
                reported=event.host_key.fingerprint,
            )


async def record_reachability(session: AsyncSession, event: DeviceReachabilityChecked) -> None:
    """The check is the device's whole result in its run, and becomes the device's reachability."""
    run = await _run(session, event.run_id, event.job_id, "reachability")
    result = await existing_result(session, event.run_id, event.device_id)
    result.attempts = max(result.attempts, 1)
    status = ResultStatus.SUCCEEDED if event.reachable else ResultStatus.FAILED
    _finish(result, status, None if event.reachable else event.error, event.occurred_at)
    await refresh_run_status(session, run)
    await record_device_reachability(
        session, event.device_id, event.reachable, event.latency_ms, event.error, event.occurred_at
    )
