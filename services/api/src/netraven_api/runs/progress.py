"""A run's status and tallies follow from its devices' results, by one rule written in SQL.

The rule reads every result of a run, so the recorder does not apply it to each batch: it adds the
batch's moves to the tallies (`advance_runs`: a final result never changes, so each is counted once)
and applies the rule only to the runs left with no open result, whose status it settles. A batch
that only starts devices of a running run writes no run at all. Whoever else changes results (the
reconciler through the ORM, `refresh_run_status`; deleting a device, `refresh_runs`) applies the
rule to the runs concerned. Tallies only grow: taking the larger keeps the results deleted with
their device counted.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ResultStatus, Run, RunResult, RunStatus
from netraven_shared.rejection import Rejected
from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    Integer,
    SQLColumnExpression,
    Table,
    Uuid,
    and_,
    any_,
    bindparam,
    case,
    column,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.runs import repository
from netraven_api.runs.live import announced_columns, note_written

_OPEN = (ResultStatus.QUEUED, ResultStatus.RUNNING)
_RUNS: Table = Run.__table__  # type: ignore[assignment]


def status_rule(status: SQLColumnExpression[str]) -> ColumnElement[str]:
    """The run's status, aggregated over its results' `status` (no result: queued)."""
    return case(
        (or_(func.count() == 0, func.bool_and(status == ResultStatus.QUEUED)), RunStatus.QUEUED),
        (func.bool_or(status.in_(_OPEN)), RunStatus.RUNNING),
        (func.bool_and(status == ResultStatus.SUCCEEDED), RunStatus.SUCCEEDED),
        (func.bool_and(status == ResultStatus.FAILED), RunStatus.FAILED),
        (func.bool_and(status == ResultStatus.CANCELLED), RunStatus.CANCELLED),
        else_=RunStatus.PARTIAL,
    )


def _tallies() -> Any:
    """Per run named by the array parameter `tallied`: its status and tallies from its results."""
    status = RunResult.status
    tallied = bindparam("tallied", type_=ARRAY(Uuid()))
    return (
        select(
            RunResult.run_id,
            status_rule(status).label("status"),
            func.count().label("devices"),
            func.count().filter(status == ResultStatus.SUCCEEDED).label("succeeded"),
            func.count().filter(status == ResultStatus.FAILED).label("failed"),
        )
        .where(RunResult.run_id == any_(tallied))
        .group_by(RunResult.run_id)
    )


def _refresh() -> Any:
    """Refresh the runs named by `tallied` that changed, as of `now`; returns their new state."""
    new = _tallies().subquery()
    runs = _RUNS.c
    now = bindparam("now", type_=DateTime(timezone=True))
    return (
        update(_RUNS)
        .where(runs.id == new.c.run_id)
        .where(
            or_(
                runs.status != new.c.status,
                runs.device_count < new.c.devices,
                runs.succeeded_count < new.c.succeeded,
                runs.failed_count < new.c.failed,
            )
        )
        .values(
            status=new.c.status,
            device_count=func.greatest(runs.device_count, new.c.devices),
            succeeded_count=func.greatest(runs.succeeded_count, new.c.succeeded),
            failed_count=func.greatest(runs.failed_count, new.c.failed),
            started_at=case(
                (new.c.status != RunStatus.QUEUED, func.coalesce(runs.started_at, now)),
                else_=runs.started_at,
            ),
            finished_at=case(
                (new.c.status.not_in(_OPEN), func.coalesce(runs.finished_at, now)),
                else_=runs.finished_at,
            ),
        )
        .returning(*announced_columns(_RUNS))
    )


@dataclass
class Moves:
    """What one recorder batch did to a run's results."""

    left_queue: int = 0  # results no longer queued
    succeeded: int = 0  # results that became succeeded
    failed: int = 0  # results that became failed

    def matter_to(self, run_status: str) -> bool:
        """Whether they change the run: its tallies, or its status out of the queue."""
        return bool(self.succeeded or self.failed) or (
            bool(self.left_queue) and run_status == RunStatus.QUEUED
        )


def _advance() -> Any:
    """Add the moves bound as arrays to their runs' tallies and take a run out of the queue once one
    of its results has left it; returns the runs' new state and whether a result is still open."""
    moves = (
        func.unnest(
            bindparam("run_id", type_=ARRAY(Uuid())),
            bindparam("left_queue", type_=ARRAY(Boolean())),
            bindparam("succeeded", type_=ARRAY(Integer())),
            bindparam("failed", type_=ARRAY(Integer())),
        )
        .table_valued(
            column("run_id", Uuid()),
            column("left_queue", Boolean()),
            column("succeeded", Integer()),
            column("failed", Integer()),
        )
        .render_derived()
    )
    runs = _RUNS.c
    now = bindparam("now", type_=DateTime(timezone=True))
    still_open = (
        select(RunResult.run_id)
        .where(RunResult.run_id == runs.id, RunResult.status.in_(_OPEN))
        .exists()
    )
    return (
        update(_RUNS)
        .where(runs.id == moves.c.run_id)
        .values(
            succeeded_count=runs.succeeded_count + moves.c.succeeded,
            failed_count=runs.failed_count + moves.c.failed,
            status=case(
                (and_(moves.c.left_queue, runs.status == RunStatus.QUEUED), RunStatus.RUNNING),
                else_=runs.status,
            ),
            started_at=case(
                (moves.c.left_queue, func.coalesce(runs.started_at, now)), else_=runs.started_at
            ),
        )
        .returning(*announced_columns(_RUNS), still_open.label("still_open"))
    )


# Built once: a batch only binds its values.
_TALLIES, _REFRESH, _ADVANCE = _tallies(), _refresh(), _advance()


async def advance_runs(
    session: AsyncSession,
    moves: Mapping[UUID, Moves],
    run_status: Mapping[UUID, str],
    now: datetime,
) -> None:
    """Apply one recorder batch's moves to their runs (locked by the caller, whose status is
    `run_status`), and settle each run left with no open result by the rule."""
    moved = {run_id: m for run_id, m in moves.items() if m.matter_to(run_status[run_id])}
    if not moved:
        return
    values = {
        "run_id": list(moved),
        "left_queue": [bool(m.left_queue) for m in moved.values()],
        "succeeded": [m.succeeded for m in moved.values()],
        "failed": [m.failed for m in moved.values()],
        "now": now,
    }
    written = (await session.execute(_ADVANCE, values)).mappings().all()
    note_written(session, ({k: v for k, v in row.items() if k != "still_open"} for row in written))
    await refresh_runs(session, [row["run_id"] for row in written if not row["still_open"]], now)


async def refresh_runs(session: AsyncSession, run_ids: Collection[UUID], now: datetime) -> None:
    """Refresh the status and tallies of these runs (locked by the caller) in one statement; the
    runs that changed are announced once the transaction commits."""
    if run_ids:
        changed = await session.execute(_REFRESH, {"tallied": list(run_ids), "now": now})
        note_written(session, changed.mappings())


async def finish_runs_without_results(
    session: AsyncSession, run_ids: Collection[UUID], now: datetime, status: RunStatus
) -> None:
    """Open runs left with no result take `status`: failed when a worker could not start one at
    all (a failure naming no device), cancelled when every device one covered was deleted. A run
    with results is left to them."""
    if not run_ids:
        return
    runs = _RUNS.c
    has_results = select(RunResult.run_id).where(RunResult.run_id == runs.id).exists()
    statement = (
        update(_RUNS)
        .where(
            runs.id == any_(repository.uuid_array("finished", run_ids)),
            runs.status.in_((RunStatus.QUEUED, RunStatus.RUNNING)),
            ~has_results,
        )
        .values(status=status, finished_at=now)
        .returning(*announced_columns(_RUNS))
    )
    note_written(session, (await session.execute(statement)).mappings())


async def locked_run(session: AsyncSession, run_id: UUID) -> Run:
    """The run row, locked for this transaction. Only the api creates runs, each before its first
    request is sent, so a run the database lacks is refused (`Rejected`)."""
    run = await repository.lock_run(session, run_id)
    if run is None:
        raise Rejected(f"run {run_id} is not in the database")
    return run


async def refresh_run_status(session: AsyncSession, run: Run) -> None:
    """Refresh one run held in the ORM session from its results (flushed first)."""
    await session.flush()
    tallies = (await session.execute(_TALLIES, {"tallied": [run.id]})).first()
    run.status = tallies.status if tallies else RunStatus.QUEUED
    if tallies:
        run.device_count = max(run.device_count, tallies.devices)
        run.succeeded_count = max(run.succeeded_count, tallies.succeeded)
        run.failed_count = max(run.failed_count, tallies.failed)
    if run.status != RunStatus.QUEUED and run.started_at is None:
        run.started_at = utc_now()
    if run.status not in _OPEN:
        run.finished_at = run.finished_at or utc_now()
