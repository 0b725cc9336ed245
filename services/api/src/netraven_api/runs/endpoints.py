from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request
from netraven_shared.errors import NotFound

from netraven_api.audit.trail import AuditTrailDep
from netraven_api.deps import Operator, SessionDep, StreamClaims, Viewer
from netraven_api.errors import error_responses
from netraven_api.live_stream import LiveEvents, event_stream
from netraven_api.runs import repository, service
from netraven_api.runs.schemas import RunDetail, RunPage, run_detail, run_out
from netraven_api.runs.stream import run_stream
from netraven_api.schemas_common import Offset

router = APIRouter(tags=["runs"])
StatusFilter = Literal["queued", "running", "succeeded", "failed", "partial", "cancelled"]


@router.get("/runs", summary="List runs, newest first")
async def list_runs(
    session: SessionDep,
    _: Viewer,
    job_id: UUID | None = None,
    status: StatusFilter | None = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Text the job's name or a device's hostname contains, ignoring case",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> RunPage:
    rows, total = await repository.list_runs(session, job_id, status, limit, offset, q)
    return RunPage(items=[run_out(run, name) for run, name in rows], total=total)


@router.get("/jobs/{job_id}/runs", summary="Runs of one job, newest first")
async def list_job_runs(
    job_id: UUID, session: SessionDep, _: Viewer, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> RunPage:
    rows, total = await repository.list_runs(session, job_id, None, limit, 0)
    return RunPage(items=[run_out(run, name) for run, name in rows], total=total)


@router.get(
    "/runs/stream",
    response_class=LiveEvents,
    summary="Run progress as Server-Sent Events: a `run` event (RunProgressed) when a run changes",
    description="Authenticated like GET /api/logs/stream (bearer or stream token). "
    "Announcements are not kept: after reconnecting, fetch the runs again.",
)
async def stream_runs(request: Request, caller: StreamClaims) -> LiveEvents:
    return event_stream(run_stream(request, caller))


@router.get(
    "/runs/{run_id}", summary="One run with its per-device results", responses=error_responses(404)
)
async def get_run(run_id: UUID, session: SessionDep, _: Viewer) -> RunDetail:
    found = await repository.run_with_job_name(session, run_id)
    if found is None:
        raise NotFound(f"no run with id {run_id}")
    return run_detail(*found)


@router.post(
    "/runs/{run_id}/cancel",
    summary="Cancel a run that has not started: every device still queued",
    responses=error_responses(403, 404, 409),
)
async def cancel_run(
    run_id: UUID, session: SessionDep, user: Operator, trail: AuditTrailDep
) -> RunDetail:
    await service.cancel_run(session, run_id, user.username)
    trail.record("run.cancel", "run", run_id)
    found = await repository.run_with_job_name(session, run_id)
    assert found is not None  # cancel_run refused an unknown run
    return run_detail(*found)
