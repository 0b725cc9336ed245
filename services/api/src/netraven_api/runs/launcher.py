"""Start a run: record it, its per-device results and one `JobDispatched` per device in ONE
transaction.

The api is the only writer of runs. The dispatches go to the outbox (`netraven_shared.outbox`) in
the caller's transaction, so a run is never committed without its dispatches, nor a dispatch sent
for a run the database does not hold; the caller's unit of work commits, then wakes the relay.
"""

from collections.abc import Iterable
from typing import cast
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Device, Job, Run, RunResult, RunStatus
from netraven_shared.events import Event, JobDispatched, SiteJobDispatched
from netraven_shared.events.jobs import JobKind, Trigger
from netraven_shared.outbox import enqueue
from netraven_shared.tracing.carrier import spanned
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.devices import repository as devices_repository
from netraven_api.inventory_sources.job_runs import INVENTORY_SYNC, InventorySyncer
from netraven_api.sites import repository as sites_repository
from netraven_api.sites.requests import sealed_for_site, site_request


async def target_devices(session: AsyncSession, job: Job) -> list[Device]:
    """The job's devices and those carrying its tags, except the orphaned (gone from their
    inventory source)."""
    by_id = {device.id: device for device in job.devices}
    if job.tags:
        tag_ids = [tag.id for tag in job.tags]
        tagged = await devices_repository.tagged_devices(session, tag_ids)
        by_id.update({device.id: device for device in tagged})
    kept = [device for device in by_id.values() if device.orphaned_at is None]
    return sorted(kept, key=lambda device: device.hostname)


async def start_job_run(
    session: AsyncSession, job: Job, trigger: Trigger, run_id: UUID | None = None
) -> Run:
    """A run of every device `job` targets now; with no target it is recorded finished at once."""
    devices = await target_devices(session, job)
    run = Run(
        id=run_id or uuid4(), job_id=job.id, trigger=trigger, kind=job.kind, status=RunStatus.QUEUED
    )
    return await _start(session, run, devices)


async def start_any_job_run(
    session: AsyncSession,
    job: Job,
    trigger: Trigger,
    syncer: InventorySyncer,
    run_id: UUID | None = None,
) -> Run:
    """A job's run: its devices dispatched to the workers, or, for an `inventory_sync` job, the
    sync done here and its run recorded finished."""
    if job.kind == INVENTORY_SYNC:
        return await syncer.run(session, job, trigger, run_id)
    return await start_job_run(session, job, trigger, run_id)


async def start_device_run(
    session: AsyncSession,
    device: Device,
    kind: JobKind,
    trigger: Trigger,
    run_id: UUID | None = None,
    job_id: UUID | None = None,
    correlation_id: UUID | None = None,
) -> Run:
    """A run of one device: an operator's ad-hoc request, or a `JobRequested` from another
    system."""
    run = Run(
        id=run_id or uuid4(),
        job_id=job_id,
        trigger=trigger,
        kind=kind,
        status=RunStatus.QUEUED,
        correlation_id=correlation_id or uuid4(),
    )
    return await _start(session, run, [device])


async def dispatch(
    session: AsyncSession, run: Run, results: Iterable[RunResult], trigger: Trigger
) -> None:
    """Put one dispatch per result in the outbox, in `session`'s transaction: a `JobDispatched`
    for the central workers, or for a device of a remote site a `SiteJobDispatched` sealed to the
    site's key (sites/requests.py). Traced as `api.dispatch`: the relay publishes each under it."""
    listed = list(results)
    sites = await sites_repository.sites_of_devices(session, [r.device_id for r in listed])
    events: list[Event] = []
    for result in listed:
        fields = {
            "event_id": dispatch_id(run.id, result.device_id, result.requests),
            "run_id": run.id,
            "job_id": run.job_id,
            "device_id": result.device_id,
            "trigger": trigger,
            "kind": run.kind,
            "correlation_id": run.correlation_id,
        }
        site = sites.get(result.device_id)
        if site is None:
            events.append(JobDispatched(**fields))
            continue
        name, public_key = site
        request = await site_request(session, result.device_id, run.id, cast(JobKind, run.kind))
        sealed = sealed_for_site(request, public_key)
        events.append(SiteJobDispatched(**fields, site=name, sealed=sealed))
    with spanned("api.dispatch", run_id=run.id, kind=run.kind, devices=len(events)):
        await enqueue(session, events)


def dispatch_id(run_id: UUID, device_id: UUID, request_number: int) -> UUID:
    """Deterministic, so a dispatch published twice (a relay that died before deleting its row) is
    deduplicated by JetStream."""
    return uuid5(NAMESPACE_URL, f"netraven:{run_id}:{device_id}:{request_number}")


async def _start(session: AsyncSession, run: Run, devices: list[Device]) -> Run:
    run.results = [RunResult(device_id=d.id, hostname=d.hostname, requests=1) for d in devices]
    run.device_count = len(devices)
    if not devices:
        run.status, run.finished_at = RunStatus.SUCCEEDED, utc_now()
    session.add(run)
    await session.flush()
    await dispatch(session, run, run.results, cast(Trigger, run.trigger))  # this module wrote it
    return run
