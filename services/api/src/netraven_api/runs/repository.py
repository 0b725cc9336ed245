"""The queries on runs and their per-device results. A run's results are loaded only where a query
names them (`Run.results` is `lazy="raise"`); its tallies are counted in SQL. The recorder's
statements take a whole batch as arrays and read or write columns, not ORM objects."""

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import (
    Device,
    Job,
    ResultStatus,
    Run,
    RunResult,
    RunStatus,
    device_tags,
    job_devices,
    job_tags,
)
from netraven_shared.retention import delete_oldest
from sqlalchemy import BindParameter, Row, Uuid, any_, bindparam, func, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload


async def get_run(session: AsyncSession, run_id: UUID) -> Run | None:
    return await session.get(Run, run_id)


async def run_with_job_name(session: AsyncSession, run_id: UUID) -> tuple[Run, str | None] | None:
    """The run with its results, and its job's name."""
    row = (
        await session.execute(
            select(Run, Job.name)
            .outerjoin(Job, Job.id == Run.job_id)
            .where(Run.id == run_id)
            .options(selectinload(Run.results))
        )
    ).first()
    return (row[0], row[1]) if row else None


async def list_runs(
    session: AsyncSession,
    job_id: UUID | None,
    status: str | None,
    limit: int,
    offset: int,
    text: str | None = None,
) -> tuple[list[tuple[Run, str | None]], int]:
    statement = select(Run, Job.name).outerjoin(Job, Job.id == Run.job_id)
    if job_id:
        statement = statement.where(Run.job_id == job_id)
    if status:
        statement = statement.where(Run.status == status)
    if text:
        touched = select(RunResult.run_id).where(
            RunResult.hostname.icontains(text, autoescape=True)
        )
        statement = statement.where(
            or_(Job.name.icontains(text, autoescape=True), Run.id.in_(touched))
        )
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.execute(
        statement.order_by(Run.created_at.desc()).limit(limit).offset(offset)
    )
    return [(row[0], row[1]) for row in rows], total or 0


async def lock_run(
    session: AsyncSession, run_id: UUID, *, with_results: bool = False
) -> Run | None:
    """The run row, locked for this transaction (with its results read afresh, when asked)."""
    statement = select(Run).where(Run.id == run_id).with_for_update()
    if with_results:
        statement = statement.options(selectinload(Run.results)).execution_options(
            populate_existing=True
        )
    return await session.scalar(statement)


def uuid_array(name: str, values: Iterable[UUID]) -> BindParameter[Any]:
    """One array parameter: the statement's text stays the same whatever the batch's size, so the
    connection prepares it once."""
    listed: Any = list(values)
    return bindparam(name, listed, type_=ARRAY(Uuid()))


_LOCK_RUNS = (
    select(Run.id, Run.job_id, Run.kind, Run.status)
    .where(Run.id == any_(bindparam("run_ids", type_=ARRAY(Uuid()))))
    .order_by(Run.id)
    .with_for_update()
)


async def lock_runs(session: AsyncSession, run_ids: Iterable[UUID]) -> list[Row[Any]]:
    """Lock the runs in id order: two transactions locking several never wait crosswise."""
    return list(await session.execute(_LOCK_RUNS, {"run_ids": sorted(run_ids)}))


async def lock_runs_of_device(session: AsyncSession, device_id: UUID) -> list[UUID]:
    """Lock, in id order, the runs holding a result of this device, before deleting it (its
    results go with it): the recorder locks runs before results, and so must the deleter."""
    statement = (
        select(Run.id)
        .where(Run.id.in_(select(RunResult.run_id).where(RunResult.device_id == device_id)))
        .order_by(Run.id)
        .with_for_update()
    )
    return list(await session.scalars(statement))


class Target(NamedTuple):
    """A device a run starts on: what its result and its dispatch need."""

    id: UUID
    hostname: str


async def job_targets(session: AsyncSession, job_id: UUID) -> list[Target]:
    """The job's devices and those carrying its tags, except the orphaned (gone from their
    inventory source), by hostname."""
    named = select(job_devices.c.device_id).where(job_devices.c.job_id == job_id)
    tagged = (
        select(device_tags.c.device_id)
        .join(job_tags, job_tags.c.tag_id == device_tags.c.tag_id)
        .where(job_tags.c.job_id == job_id)
    )
    # Two IN tests, not one over a UNION: PostgreSQL hashes each subquery once, where with no
    # statistics yet (a job and devices just created) it scanned the union once per device.
    statement = (
        select(Device.id, Device.hostname)
        .where(or_(Device.id.in_(named), Device.id.in_(tagged)), Device.orphaned_at.is_(None))
        .order_by(Device.hostname)
    )
    return [Target(*row) for row in await session.execute(statement)]


_ADD_RESULTS = text(
    "INSERT INTO run_results (run_id, device_id, hostname, status, attempts, requests, updated_at)"
    " SELECT CAST(:run_id AS uuid), d.device_id, d.hostname, CAST(:status AS text), 0, 1,"
    " CAST(:updated_at AS timestamptz)"
    " FROM unnest(CAST(:device_ids AS uuid[]), CAST(:hostnames AS text[]))"
    " AS d(device_id, hostname)"
)


async def add_results(session: AsyncSession, run_id: UUID, targets: Sequence[Target]) -> None:
    """The run's results, one per target, queued and requested once, in one statement (no ORM
    object: a run of thousands of devices spent most of its start building them)."""
    if targets:
        values = {
            "run_id": run_id,
            "status": ResultStatus.QUEUED.value,
            "updated_at": utc_now(),
            "device_ids": [target.id for target in targets],
            "hostnames": [target.hostname for target in targets],
        }
        await session.execute(_ADD_RESULTS, values)


_RESULTS_NAMED = text(
    "SELECT r.run_id, r.device_id, r.status, r.error, r.attempts, r.credential_id,"
    " r.resolved_address, r.started_at, r.finished_at, r.updated_at"
    " FROM run_results AS r"
    " JOIN unnest(CAST(:run_ids AS uuid[]), CAST(:device_ids AS uuid[])) AS k(run_id, device_id)"
    " ON r.run_id = k.run_id AND r.device_id = k.device_id"
)


async def results_named(
    session: AsyncSession, keys: Collection[tuple[UUID, UUID]]
) -> list[Row[Any]]:
    """The results of these (run, device) pairs, as columns (no ORM object)."""
    run_ids, device_ids = [run for run, _ in keys], [device for _, device in keys]
    rows = await session.execute(_RESULTS_NAMED, {"run_ids": run_ids, "device_ids": device_ids})
    return list(rows)


_UPDATE_RESULTS = text(
    "UPDATE run_results AS r SET status = v.status, error = v.error, attempts = v.attempts,"
    " credential_id = v.credential_id, resolved_address = v.resolved_address,"
    " started_at = v.started_at, finished_at = v.finished_at, updated_at = v.updated_at"
    " FROM unnest(CAST(:run_id AS uuid[]), CAST(:device_id AS uuid[]), CAST(:status AS text[]),"
    " CAST(:error AS text[]), CAST(:attempts AS int[]), CAST(:credential_id AS uuid[]),"
    " CAST(:resolved_address AS text[]), CAST(:started_at AS timestamptz[]),"
    " CAST(:finished_at AS timestamptz[]), CAST(:updated_at AS timestamptz[]))"
    " AS v(run_id, device_id, status, error, attempts, credential_id, resolved_address,"
    " started_at, finished_at, updated_at)"
    " WHERE r.run_id = v.run_id AND r.device_id = v.device_id"
)
RESULT_COLUMNS = (
    "run_id",
    "device_id",
    "status",
    "error",
    "attempts",
    "credential_id",
    "resolved_address",
    "started_at",
    "finished_at",
    "updated_at",
)


async def update_results(session: AsyncSession, rows: Collection[Sequence[Any]]) -> None:
    """Write these results (each the values of `RESULT_COLUMNS`, in order) in one statement."""
    if rows:
        await session.execute(_UPDATE_RESULTS, dict(zip(RESULT_COLUMNS, map(list, zip(*rows)))))


async def silent_results(
    session: AsyncSession, updated_before: datetime, limit: int
) -> list[RunResult]:
    """Results still queued or running with no news since `updated_before`."""
    return list(
        await session.scalars(
            select(RunResult)
            .where(
                RunResult.status.in_([ResultStatus.QUEUED, ResultStatus.RUNNING]),
                RunResult.updated_at < updated_before,
            )
            .limit(limit)
        )
    )


async def delete_settled_before(session: AsyncSession, cutoff: datetime, limit: int) -> int:
    """Delete at most `limit` of the oldest runs created before `cutoff` that are neither queued nor
    running; their results go with them (ON DELETE CASCADE). How many runs went."""
    open_statuses = (RunStatus.QUEUED, RunStatus.RUNNING)
    return await delete_oldest(
        session, Run, Run.created_at, cutoff, limit, Run.status.not_in(open_statuses)
    )
