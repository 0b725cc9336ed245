"""Start a run: record it, its per-device results and one `JobDispatched` per device in ONE
transaction.

The api is the only writer of runs. The dispatches go to the outbox (`netraven_shared.outbox`) in
the caller's transaction, so a run is never committed without its dispatches, nor a dispatch sent
for a run the database does not hold; the caller's unit of work commits, then wakes the relay.
"""

from collections.abc import Iterable
from hashlib import sha1
from typing import NamedTuple, cast
from uuid import NAMESPACE_URL, UUID, uuid4

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Device, Job, Run, RunStatus
from netraven_shared.events import Event, JobDispatched, SiteJobDispatched
from netraven_shared.events.jobs import JobKind, Trigger
from netraven_shared.outbox import enqueue
from netraven_shared.tracing.carrier import spanned
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.inventory_sources.job_runs import INVENTORY_SYNC, InventorySyncer
from netraven_api.runs import repository as runs_repository
from netraven_api.runs.repository import Target
from netraven_api.sites import repository as sites_repository
from netraven_api.sites.requests import sealed_for_site, site_request


async def start_job_run(
    session: AsyncSession, job: Job, trigger: Trigger, run_id: UUID | None = None
) -> Run:
    """A run of every device `job` targets now (`runs.repository.job_targets`); with no target it
    is recorded finished at once. Reads none of `job`'s relationships."""
    targets = await runs_repository.job_targets(session, job.id)
    run = Run(
        id=run_id or uuid4(), job_id=job.id, trigger=trigger, kind=job.kind, status=RunStatus.QUEUED
    )
    return await _start(session, run, targets)


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
    return await _start(session, run, [Target(device.id, device.hostname)])


class DeviceRequest(NamedTuple):
    """The `number`th request for one device's work in a run: what one dispatch orders."""

    device_id: UUID
    number: int


async def dispatch(
    session: AsyncSession, run: Run, requests: Iterable[DeviceRequest], trigger: Trigger
) -> None:
    """Put one dispatch per request in the outbox, in `session`'s transaction: a `JobDispatched`
    for the central workers, or for a device of a remote site a `SiteJobDispatched` sealed to the
    site's key (sites/requests.py). Traced as `api.dispatch`: the relay publishes each under it."""
    listed = list(requests)
    sites = await sites_repository.sites_of_devices(session, [r.device_id for r in listed])
    ids = RunDispatchIds(run.id)
    of_run = {
        "run_id": run.id,
        "job_id": run.job_id,
        "trigger": trigger,
        "kind": run.kind,
        "correlation_id": run.correlation_id,
    }
    events: list[Event] = []
    for device_id, number in listed:
        fields = {**of_run, "event_id": ids.of(device_id, number), "device_id": device_id}
        site = sites.get(device_id)
        if site is None:
            events.append(JobDispatched(**fields))
            continue
        name, public_key = site
        request = await site_request(session, device_id, run.id, cast(JobKind, run.kind))
        sealed = sealed_for_site(request, public_key)
        events.append(SiteJobDispatched(**fields, site=name, sealed=sealed))
    with spanned("api.dispatch", run_id=run.id, kind=run.kind, devices=len(events)):
        await enqueue(session, events)


def dispatch_id(run_id: UUID, device_id: UUID, request_number: int) -> UUID:
    """The uuid5 (in `NAMESPACE_URL`) of "netraven:{run_id}:{device_id}:{request_number}".
    Deterministic, so a dispatch published twice (a relay that died before deleting its row) is
    deduplicated by JetStream."""
    return RunDispatchIds(run_id).of(device_id, request_number)


class RunDispatchIds:
    """`dispatch_id` for the devices of one run, the run's part of the uuid5 name hashed once."""

    def __init__(self, run_id: UUID) -> None:
        self._run_part = sha1(NAMESPACE_URL.bytes + f"netraven:{run_id}:".encode())

    def of(self, device_id: UUID, request_number: int) -> UUID:
        digest = self._run_part.copy()
        digest.update(f"{device_id}:{request_number}".encode())
        return UUID(bytes=digest.digest()[:16], version=5)


async def _start(session: AsyncSession, run: Run, targets: list[Target]) -> Run:
    run.device_count = len(targets)
    if not targets:
        run.status, run.finished_at = RunStatus.SUCCEEDED, utc_now()
    session.add(run)
    await session.flush()
    await runs_repository.add_results(session, run.id, targets)
    first_requests = [DeviceRequest(target.id, 1) for target in targets]
    await dispatch(session, run, first_requests, cast(Trigger, run.trigger))  # this module wrote it
    return run
