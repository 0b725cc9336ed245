"""Record what workers and gitkeeper report into runs and their per-device results.

Events for one device can arrive in any order (they travel on different consumers), so a
result never moves back from a final status, and a missing run or result is created.
"""

from datetime import datetime
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.devices.repository import record_reachability as record_device_reachability
from netraven_api.runs.credential_figures import count_failures, count_success
from netraven_api.runs.progress import loaded_result, locked_run, refresh_run_status
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ResultStatus, RunResult, RunStatus
from netraven_shared.events import (
    ConfigStored, DeviceBackedUp, DeviceBackupFailed, DeviceBackupStarted, DeviceReachabilityChecked,
)

_FINAL = (ResultStatus.SUCCEEDED, ResultStatus.FAILED, ResultStatus.CANCELLED)


async def _result(session: AsyncSession, run_id: UUID, device_id: UUID, hostname: str) -> RunResult:
    if (loaded := loaded_result(session, run_id, device_id)) is not None:
        return loaded
    await session.execute(
        insert(RunResult)
        .values(run_id=run_id, device_id=device_id, hostname=hostname, status=ResultStatus.QUEUED, updated_at=utc_now())
        .on_conflict_do_nothing()
    )
    return await session.get(RunResult, (run_id, device_id), populate_existing=True)


def _finish(result: RunResult, status: ResultStatus, error: str | None, at: datetime) -> bool:
    """Move the result to a final status; False if it already had one."""
    if result.status in _FINAL:
        return False
    result.status, result.error = status, error
    result.finished_at = result.updated_at = at
    result.started_at = result.started_at or at
    return True


async def record_started(session: AsyncSession, event: DeviceBackupStarted) -> None:
    run = await locked_run(session, event.run_id, event.job_id)
    result = await _result(session, event.run_id, event.device_id, event.hostname)
    result.attempts = max(result.attempts, event.attempt)
    if result.status not in _FINAL:
        result.status = ResultStatus.RUNNING
        result.started_at = result.started_at or event.occurred_at
        result.updated_at = utc_now()
    await refresh_run_status(session, run)


async def record_stored(session: AsyncSession, event: ConfigStored) -> None:
    run = await locked_run(session, event.run_id, None)
    result = await _result(session, event.run_id, event.device_id, event.hostname)
    _finish(result, ResultStatus.SUCCEEDED, None, event.occurred_at)
    await refresh_run_status(session, run)


async def record_failed(session: AsyncSession, event: DeviceBackupFailed) -> None:
    run = await locked_run(session, event.run_id, event.job_id)
    if event.device_id is None:
        if not run.results:
            run.status, run.finished_at = RunStatus.FAILED, utc_now()
        return
    result = await _result(session, event.run_id, event.device_id, event.hostname or "?")
    result.attempts = max(result.attempts, event.attempts)
    if _finish(result, ResultStatus.FAILED, event.error, event.occurred_at):
        await count_failures(session, event.refused_credential_ids)
    await refresh_run_status(session, run)


async def record_collected(session: AsyncSession, event: DeviceBackedUp) -> None:
    """The worker has the config (gitkeeper will report it stored): note which credential worked."""
    await locked_run(session, event.run_id, event.job_id)
    result = await _result(session, event.run_id, event.device_id, event.hostname)
    await count_success(session, result, event.credential_id, event.refused_credential_ids)


async def record_reachability(session: AsyncSession, event: DeviceReachabilityChecked) -> None:
    """The check is the device's whole result in its run, and becomes the device's reachability."""
    run = await locked_run(session, event.run_id, event.job_id, kind="reachability")
    result = await _result(session, event.run_id, event.device_id, event.hostname)
    result.attempts = max(result.attempts, 1)
    status = ResultStatus.SUCCEEDED if event.reachable else ResultStatus.FAILED
    _finish(result, status, None if event.reachable else event.error, event.occurred_at)
    await refresh_run_status(session, run)
    await record_device_reachability(session, event.device_id, event.reachable, event.latency_ms, event.error, event.occurred_at)
