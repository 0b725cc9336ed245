from datetime import datetime
from uuid import UUID

from netraven_shared.db.models import Run
from netraven_shared.events.jobs import RunKind
from pydantic import BaseModel, Field


class ResultOut(BaseModel):
    device_id: UUID
    hostname: str
    status: str
    error: str | None
    attempts: int
    credential_id: UUID | None
    resolved_address: str | None = Field(
        description="The address a device given by DNS name resolved to in its session"
    )
    started_at: datetime | None
    finished_at: datetime | None


class RunOut(BaseModel):
    id: UUID
    job_id: UUID | None
    job_name: str | None
    status: str
    trigger: str
    kind: RunKind
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    device_count: int
    succeeded: int
    failed: int
    summary: dict[str, int] | None = Field(
        default=None, description="An inventory sync's counts (adopted, updated, orphaned, ...)"
    )
    error: str | None = Field(default=None, description="Why an inventory sync failed")


class RunDetail(RunOut):
    results: list[ResultOut]


class RunPage(BaseModel):
    items: list[RunOut]
    total: int


def run_out(run: Run, job_name: str | None) -> RunOut:
    return RunOut(
        id=run.id,
        job_id=run.job_id,
        job_name=job_name,
        status=run.status,
        trigger=run.trigger,
        kind=run.kind,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        device_count=run.device_count,
        succeeded=run.succeeded_count,
        failed=run.failed_count,
        summary=run.summary,
        error=run.error,
    )


def run_detail(run: Run, job_name: str | None) -> RunDetail:
    results = [ResultOut.model_validate(r, from_attributes=True) for r in run.results]
    return RunDetail(**run_out(run, job_name).model_dump(), results=results)
