from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from netraven_shared.db.models import Role
from netraven_shared.errors import Forbidden

from netraven_api.audit.changes import summarize
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.auth.roles import at_least
from netraven_api.deps import (
    CallerRole,
    InventorySyncerDep,
    Operator,
    OutboxRelayDep,
    SessionDep,
    Viewer,
)
from netraven_api.errors import error_responses
from netraven_api.inventory_sources.job_runs import INVENTORY_SYNC
from netraven_api.jobs import repository, service
from netraven_api.jobs.schemas import JobCreate, JobOut, JobPage, JobsStatus, JobUpdate, RunAccepted
from netraven_api.unit_of_work import UnitOfWorkDep

router = APIRouter(prefix="/jobs", tags=["jobs"])


def _admins_only_for_syncs(kinds: set[str | None], role: Role) -> None:
    """An inventory sync changes the inventory: only admins create, change or run one."""
    if INVENTORY_SYNC in kinds and not at_least(role, Role.ADMIN):
        raise Forbidden("inventory_sync jobs are for admins")


@router.post(
    "", status_code=201, summary="Create a backup job", responses=error_responses(403, 409)
)
async def create_job(
    data: JobCreate, session: SessionDep, _: Operator, role: CallerRole, trail: AuditTrailDep
) -> JobOut:
    _admins_only_for_syncs({data.kind}, role)
    job = await service.create_job(session, data)
    trail.record("job.create", "job", job.id, changes=summarize(data))
    return service.job_out(job)


@router.get("", summary="List jobs")
async def list_jobs(session: SessionDep, _: Viewer) -> JobPage:
    jobs = await repository.list_jobs(session)
    return JobPage(items=[service.job_out(j) for j in jobs], total=len(jobs))


@router.get("/status", summary="Dashboard summary: jobs, and runs by status in a time window")
async def jobs_status(
    session: SessionDep, _: Viewer, hours: Annotated[int, Query(ge=1, le=24 * 90)] = 24
) -> JobsStatus:
    return await service.status_summary(session, timedelta(hours=hours))


@router.get("/{job_id}", summary="One job", responses=error_responses(404))
async def get_job(job_id: UUID, session: SessionDep, _: Viewer) -> JobOut:
    return service.job_out(await service.get_job(session, job_id))


@router.patch(
    "/{job_id}",
    summary="Change a job: only the fields given",
    responses=error_responses(403, 404, 409),
)
async def update_job(
    job_id: UUID,
    data: JobUpdate,
    session: SessionDep,
    _: Operator,
    role: CallerRole,
    trail: AuditTrailDep,
) -> JobOut:
    before = service.job_out(await service.get_job(session, job_id))
    _admins_only_for_syncs({before.kind, data.kind}, role)
    job = await service.update_job(session, job_id, data)
    trail.record("job.update", "job", job_id, changes=summarize(data, before, service.job_out(job)))
    return service.job_out(job)


@router.delete(
    "/{job_id}",
    status_code=204,
    summary="Delete a job; its runs stay, without a job",
    responses=error_responses(403, 404),
)
async def delete_job(
    job_id: UUID, session: SessionDep, _: Operator, role: CallerRole, trail: AuditTrailDep
) -> Response:
    job = await service.get_job(session, job_id)
    _admins_only_for_syncs({job.kind}, role)
    name = job.name
    await service.delete_job(session, job_id)
    trail.record("job.delete", "job", job_id, changes={"name": name})
    return Response(status_code=204)


@router.post(
    "/{job_id}/run",
    status_code=202,
    summary="Run a job now: one backup request per target device; an inventory sync runs at "
    "once and its run is finished when this answers",
    responses=error_responses(403, 404),
)
async def run_job(
    job_id: UUID,
    work: UnitOfWorkDep,
    relay: OutboxRelayDep,
    syncer: InventorySyncerDep,
    _: Operator,
    role: CallerRole,
    trail: AuditTrailDep,
) -> RunAccepted:
    _admins_only_for_syncs({(await service.job_to_run(work.session, job_id)).kind}, role)
    run = await service.run_now(work.session, job_id, syncer)
    trail.record("job.run", "job", job_id, changes={"run_id": str(run.id)})
    work.after_commit(relay.wake)
    return RunAccepted(run_id=run.id)
