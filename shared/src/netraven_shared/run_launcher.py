"""Start a run: record it in PostgreSQL, then request one backup (or reachability check) per device.

The api (run now, ad-hoc device runs) and the scheduler (due schedules) both start runs through here. The run and
its queued results are committed before any `JobRequested` is published, so a worker never sees
a request for a run the database does not know.
"""

from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from faststream.nats import NatsBroker
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.models import Device, Job, Run, RunResult, RunStatus, Tag
from netraven_shared.events import JobRequested
from netraven_shared.events.jobs import JobKind, Trigger
from netraven_shared.messaging import publish_event


async def target_devices(session: AsyncSession, job: Job) -> list[Device]:
    by_id = {device.id: device for device in job.devices}
    if job.tags:
        tag_ids = [tag.id for tag in job.tags]
        tagged = await session.scalars(select(Device).where(Device.tags.any(Tag.id.in_(tag_ids))))
        by_id.update({device.id: device for device in tagged})
    return sorted(by_id.values(), key=lambda device: device.hostname)


async def record_run(session: AsyncSession, job: Job, trigger: Trigger, run_id: UUID | None = None) -> Run:
    devices = await target_devices(session, job)
    run = Run(id=run_id or uuid4(), job_id=job.id, trigger=trigger, kind=job.kind, status=RunStatus.QUEUED)
    run.results = [RunResult(device_id=d.id, hostname=d.hostname) for d in devices]
    if not devices:
        run.status = RunStatus.SUCCEEDED
        run.finished_at = run.created_at
    session.add(run)
    await session.flush()
    return run


async def record_device_run(session: AsyncSession, device: Device, kind: JobKind) -> Run:
    """An ad-hoc run of one device, with no job: an operator asked for it now."""
    run = Run(job_id=None, trigger="manual", kind=kind, status=RunStatus.QUEUED)
    run.results = [RunResult(device_id=device.id, hostname=device.hostname)]
    session.add(run)
    await session.flush()
    return run


async def request_backups(broker: NatsBroker, run: Run, trigger: Trigger) -> None:
    for result in run.results:
        await publish_event(
            broker,
            JobRequested(
                run_id=run.id,
                job_id=run.job_id,
                device_id=result.device_id,
                trigger=trigger,
                kind=run.kind,
                correlation_id=run.correlation_id,
                event_id=_request_id(run.id, result.device_id, result.requests),
            ),
        )


def _request_id(run_id: UUID, device_id: UUID, request_number: int) -> UUID:
    """Deterministic, so publishing the same request twice is deduplicated by JetStream."""
    return uuid5(NAMESPACE_URL, f"netraven:{run_id}:{device_id}:{request_number}")
