from datetime import timedelta
from uuid import UUID

from faststream.nats import NatsBroker
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.jobs.schemas import IntervalSchedule, JobCreate, JobOut, JobsStatus, ManualSchedule
from netraven_api.tags.repository import tags_named
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Device, Job, Run, RunStatus
from netraven_shared.errors import Conflict, InvalidInput, NotFound
from netraven_shared.run_launcher import record_run, request_backups


def job_out(job: Job) -> JobOut:
    schedule = IntervalSchedule(type="interval", seconds=job.interval_seconds) if job.schedule_type == "interval" else ManualSchedule()
    return JobOut(
        id=job.id, name=job.name, device_ids=[d.id for d in job.devices],
        tags=[t.name for t in job.tags], schedule=schedule, enabled=job.enabled,
    )


async def create_job(session: AsyncSession, data: JobCreate) -> Job:
    if await session.scalar(select(Job.id).where(Job.name == data.name)):
        raise Conflict(f"a job named '{data.name}' already exists")
    devices = list(await session.scalars(select(Device).where(Device.id.in_(data.device_ids))))
    missing = sorted(str(i) for i in set(data.device_ids) - {d.id for d in devices})
    if missing:
        raise InvalidInput("unknown device ids", detail=missing)
    job = Job(
        name=data.name, enabled=data.enabled, schedule_type=data.schedule.type,
        interval_seconds=getattr(data.schedule, "seconds", None), devices=devices,
        tags=await tags_named(session, data.tags) if data.tags else [],
    )
    session.add(job)
    await session.flush()
    return job


async def get_job(session: AsyncSession, job_id: UUID) -> Job:
    job = await session.get(Job, job_id)
    if job is None:
        raise NotFound(f"no job with id {job_id}")
    return job


async def list_jobs(session: AsyncSession) -> list[Job]:
    return list(await session.scalars(select(Job).order_by(Job.name)))


async def run_now(session: AsyncSession, broker: NatsBroker, job_id: UUID) -> Run:
    job = await get_job(session, job_id)
    run = await record_run(session, job, "manual")
    await session.commit()
    await request_backups(broker, run, "manual")
    return run


async def status_summary(session: AsyncSession, window: timedelta) -> JobsStatus:
    since = utc_now() - window
    counts = dict((await session.execute(
        select(Run.status, func.count()).where(Run.created_at >= since).group_by(Run.status)
    )).all())
    return JobsStatus(
        total_jobs=await session.scalar(select(func.count()).select_from(Job)) or 0,
        running=counts.get(RunStatus.RUNNING, 0) + counts.get(RunStatus.QUEUED, 0),
        succeeded=counts.get(RunStatus.SUCCEEDED, 0),
        failed=counts.get(RunStatus.FAILED, 0) + counts.get(RunStatus.PARTIAL, 0),
    )
