"""A run's status follows from its devices' results."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ResultStatus, Run, RunResult, RunStatus
from netraven_shared.rejection import Rejected
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.runs import repository

_OPEN = {ResultStatus.QUEUED, ResultStatus.RUNNING}
_BATCH = "netraven.run_batch"


@dataclass
class _RunBatch:
    locked: dict[UUID, Run] = field(default_factory=dict)
    stale: dict[UUID, Run] = field(default_factory=dict)
    # Held here: the session's identity map keeps unchanged rows only while something else does.
    loaded: dict[tuple[UUID, UUID], RunResult] = field(default_factory=dict)


@asynccontextmanager
async def one_refresh_per_run(session: AsyncSession) -> AsyncIterator[None]:
    """For many events in one transaction: each run is locked once, and its status is refreshed
    once on the way out instead of after every event (a refresh reads all of the run's results)."""
    batch = session.info[_BATCH] = _RunBatch()
    try:
        yield
    finally:
        del session.info[_BATCH]
    for run in batch.stale.values():
        await _refresh(session, run)


async def lock_and_load(session: AsyncSession, keys: set[tuple[UUID, UUID]]) -> None:
    """Inside `one_refresh_per_run`: lock the existing runs of a batch's (run, device) pairs in id
    order (so two batches never wait on each other crosswise) and load their results, two
    statements for the whole batch instead of four per event."""
    batch: _RunBatch = session.info[_BATCH]
    run_ids = sorted({run_id for run_id, _ in keys} - batch.locked.keys())
    for run in await repository.lock_runs(session, run_ids):
        batch.locked[run.id] = run
    wanted = [key for key in keys if key[0] in batch.locked]
    if wanted:
        loaded = await repository.load_results(session, wanted)
        batch.loaded.update(((row.run_id, row.device_id), row) for row in loaded)


def loaded_result(session: AsyncSession, run_id: UUID, device_id: UUID) -> RunResult | None:
    """A result `lock_and_load` read under its run's lock in this transaction: still current."""
    batch: _RunBatch | None = session.info.get(_BATCH)
    return batch.loaded.get((run_id, device_id)) if batch is not None else None


def status_of(results: list[str]) -> RunStatus:
    if not results or all(s == ResultStatus.QUEUED for s in results):
        return RunStatus.QUEUED
    if any(s in _OPEN for s in results):
        return RunStatus.RUNNING
    if all(s == ResultStatus.SUCCEEDED for s in results):
        return RunStatus.SUCCEEDED
    if all(s == ResultStatus.FAILED for s in results):
        return RunStatus.FAILED
    if all(s == ResultStatus.CANCELLED for s in results):
        return RunStatus.CANCELLED
    return RunStatus.PARTIAL


async def locked_run(session: AsyncSession, run_id: UUID) -> Run:
    """The run row, locked for this transaction. Only the api creates runs, each before its first
    request is sent, so an event naming a run the database lacks is refused (`Rejected`)."""
    batch: _RunBatch | None = session.info.get(_BATCH)
    if batch is not None and run_id in batch.locked:
        return batch.locked[run_id]
    run = await repository.lock_run(session, run_id)
    if run is None:
        raise Rejected(f"run {run_id} is not in the database")
    if batch is not None:
        batch.locked[run_id] = run
    return run


async def existing_result(session: AsyncSession, run_id: UUID, device_id: UUID) -> RunResult:
    """A result of a run locked by `locked_run`; a run's results are all created with it, so an event
    naming a device the run does not back up is refused (`Rejected`)."""
    result = loaded_result(session, run_id, device_id)
    if result is None:
        result = await repository.get_result(session, run_id, device_id)
    if result is None:
        raise Rejected(f"run {run_id} has no result for device {device_id}")
    return result


async def refresh_run_status(session: AsyncSession, run: Run) -> None:
    batch: _RunBatch | None = session.info.get(_BATCH)
    if batch is not None:
        batch.stale[run.id] = run
        return
    await _refresh(session, run)


async def _refresh(session: AsyncSession, run: Run) -> None:
    await session.flush()
    run.status = status_of(await repository.result_statuses(session, run.id))
    await _tally(session, run)
    if run.status != RunStatus.QUEUED and run.started_at is None:
        run.started_at = utc_now()
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        run.finished_at = run.finished_at or utc_now()


async def _tally(session: AsyncSession, run: Run) -> None:
    """Count the run's results into its tallies. A final result never changes, so the tallies only
    grow: taking the larger keeps the results deleted with their device counted."""
    devices, succeeded, failed = await repository.result_tallies(session, run.id)
    run.device_count = max(run.device_count, devices)
    run.succeeded_count = max(run.succeeded_count, succeeded)
    run.failed_count = max(run.failed_count, failed)
