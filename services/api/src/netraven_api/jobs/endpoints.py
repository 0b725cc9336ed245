from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from netraven_api.audit.changes import summarize
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.deps import Operator, OutboxRelayDep, SessionDep, Viewer
from netraven_api.errors import error_responses
from netraven_api.jobs import repository, service
from netraven_api.jobs.schemas import JobCreate, JobOut, JobPage, JobsStatus, JobUpdate, RunAccepted
from netraven_api.unit_of_work import UnitOfWorkDep

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.post(
    "", status_code=201, summary="Create a backup job", responses=error_responses(403, 409)
)
async def create_job(
    data: JobCreate, session: SessionDep, _: Operator, trail: AuditTrailDep
) -> JobOut:
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
    job_id: UUID, data: JobUpdate, session: SessionDep, _: Operator, trail: AuditTrailDep
) -> JobOut:
    before = service.job_out(await service.get_job(session, job_id))
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
    job_id: UUID, session: SessionDep, _: Operator, trail: AuditTrailDep
) -> Response:
    name = (await service.get_job(session, job_id)).name
    await service.delete_job(session, job_id)
    trail.record("job.delete", "job", job_id, changes={"name": name})
    return Response(status_code=204)


@router.post(
    "/{job_id}/run",
    status_code=202,
    summary="Run a job now: one backup request per target device",
    responses=error_responses(403, 404),
)
async def run_job(
    job_id: UUID,
    work: UnitOfWorkDep,
    relay: OutboxRelayDep,
    _: Operator,
    trail: AuditTrailDep,
) -> RunAccepted:
    run = await service.run_now(work.session, job_id)
    trail.record("job.run", "job", job_id, changes={"run_id": str(run.id)})
    work.after_commit(relay.wake)
    return RunAccepted(run_id=run.id)
