from datetime import timedelta
from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Device, Job, Run, RunStatus
from netraven_shared.errors import Conflict, InvalidInput, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.devices import repository as devices_repository
from netraven_api.inventory_sources.job_runs import INVENTORY_SYNC, InventorySyncer
from netraven_api.inventory_sources.repository import get_source
from netraven_api.jobs import repository
from netraven_api.jobs.schemas import (
    PAST_RUN_AT,
    SYNC_TARGETS,
    CronSchedule,
    IntervalSchedule,
    JobCreate,
    JobOut,
    JobsStatus,
    JobUpdate,
    ManualSchedule,
    OnetimeSchedule,
    Schedule,
    is_past_onetime,
)
from netraven_api.runs.launcher import start_any_job_run
from netraven_api.tags.repository import tags_named


def schedule_of(job: Job) -> Schedule:
    window = {"start_at": job.start_at, "end_at": job.end_at}
    if job.schedule_type == "interval":
        return IntervalSchedule(type="interval", seconds=job.interval_seconds, **window)
    if job.schedule_type == "cron":
        return CronSchedule(
            type="cron", expression=job.cron_expression, timezone=job.timezone or "UTC", **window
        )
    if job.schedule_type == "onetime":
        return OnetimeSchedule(type="onetime", run_at=job.run_at, **window)
    return ManualSchedule()


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        name=job.name,
        kind=job.kind,
        device_ids=[d.id for d in job.devices],
        tags=[t.name for t in job.tags],
        inventory_source_id=job.inventory_source_id,
        schedule=schedule_of(job),
        enabled=job.enabled,
        created_at=job.created_at,
    )


def _set_schedule(job: Job, schedule: Schedule) -> None:
    job.schedule_type = schedule.type
    job.interval_seconds = getattr(schedule, "seconds", None)
    job.cron_expression = getattr(schedule, "expression", None)
    job.timezone = getattr(schedule, "timezone", None)
    job.run_at = getattr(schedule, "run_at", None)
    job.start_at = getattr(schedule, "start_at", None)
    job.end_at = getattr(schedule, "end_at", None)
    job.scheduled_since = utc_now()


async def _unique_name(session: AsyncSession, name: str, job_id: UUID | None = None) -> None:
    if await repository.name_taken(session, name, job_id):
        raise Conflict(f"a job named '{name}' already exists")


async def _devices(session: AsyncSession, device_ids: list[UUID]) -> list[Device]:
    devices = await devices_repository.devices_with_ids(session, device_ids)
    missing = sorted(str(i) for i in set(device_ids) - {d.id for d in devices})
    if missing:
        raise InvalidInput("unknown device ids", detail=missing)
    return devices


async def _source(session: AsyncSession, source_id: UUID | None) -> UUID | None:
    if source_id is not None and await get_source(session, source_id) is None:
        raise InvalidInput(f"inventory_source_id: no inventory source with id {source_id}")
    return source_id


async def create_job(session: AsyncSession, data: JobCreate) -> Job:
    await _unique_name(session, data.name)
    job = Job(
        name=data.name,
        kind=data.kind,
        enabled=data.enabled,
        devices=await _devices(session, data.device_ids),
        tags=await tags_named(session, data.tags) if data.tags else [],
        inventory_source_id=await _source(session, data.inventory_source_id),
    )
    _set_schedule(job, data.schedule)
    session.add(job)
    await session.flush()
    return job


async def update_job(session: AsyncSession, job_id: UUID, data: JobUpdate) -> Job:
    job = await get_job(session, job_id)
    if data.name is not None and data.name != job.name:
        await _unique_name(session, data.name, job.id)
        job.name = data.name
    if data.kind is not None:
        job.kind = data.kind
    if data.device_ids is not None:
        job.devices = await _devices(session, data.device_ids)
    if data.tags is not None:
        job.tags = await tags_named(session, data.tags) if data.tags else []
    if "inventory_source_id" in data.model_fields_set:
        job.inventory_source_id = await _source(session, data.inventory_source_id)
    if job.kind == INVENTORY_SYNC:
        if job.inventory_source_id is None or job.devices or job.tags:
            raise InvalidInput(SYNC_TARGETS)
    elif job.inventory_source_id is not None:
        raise InvalidInput("only an inventory_sync job names an inventory_source_id")
    elif not job.devices and not job.tags:
        raise InvalidInput("a job needs targets: give device_ids, tags, or both")
    if data.schedule is not None and data.schedule != schedule_of(job):
        if is_past_onetime(data.schedule):
            raise InvalidInput(PAST_RUN_AT)
        _set_schedule(job, data.schedule)
    if data.enabled is not None:
        job.enabled = data.enabled
    await session.flush()
    return job


async def delete_job(session: AsyncSession, job_id: UUID) -> None:
    """Its runs stay, with no job (the foreign key sets it null)."""
    await session.delete(await get_job(session, job_id))
    await session.flush()


async def get_job(session: AsyncSession, job_id: UUID) -> Job:
    job = await repository.get_job(session, job_id)
    if job is None:
        raise NotFound(f"no job with id {job_id}")
    return job


async def job_to_run(session: AsyncSession, job_id: UUID) -> Job:
    """The job without its devices and tags (`repository.job_without_targets`)."""
    job = await repository.job_without_targets(session, job_id)
    if job is None:
        raise NotFound(f"no job with id {job_id}")
    return job


async def run_now(session: AsyncSession, job_id: UUID, syncer: InventorySyncer) -> Run:
    """The run and its dispatches (or an inventory sync's run), flushed in the caller's
    transaction."""
    return await start_any_job_run(session, await job_to_run(session, job_id), "manual", syncer)


async def status_summary(session: AsyncSession, window: timedelta) -> JobsStatus:
    """Jobs defined now, and runs started within `window` by status (queued counts as running,
    partial as failed)."""
    counts = await repository.run_counts_by_status(session, utc_now() - window)
    return JobsStatus(
        total_jobs=await repository.count_jobs(session),
        window_hours=int(window.total_seconds() // 3600),
        total_runs=sum(counts.values()),
        running=counts.get(RunStatus.RUNNING, 0) + counts.get(RunStatus.QUEUED, 0),
        succeeded=counts.get(RunStatus.SUCCEEDED, 0),
        failed=counts.get(RunStatus.FAILED, 0) + counts.get(RunStatus.PARTIAL, 0),
        cancelled=counts.get(RunStatus.CANCELLED, 0),
    )
