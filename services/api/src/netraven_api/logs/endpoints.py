from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from netraven_api.deps import SessionDep, Viewer
from netraven_api.logs.repository import LogFilter, page_of_logs
from netraven_api.logs.schemas import LogOut, LogPage

router = APIRouter(prefix="/logs", tags=["logs"])


@router.get("", summary="The unified log, newest first, filtered; follow next_cursor for older entries")
async def list_logs(
    session: SessionDep,
    _: Viewer,
    job_id: UUID | None = None,
    run_id: UUID | None = None,
    device_id: UUID | None = None,
    level: Literal["debug", "info", "warning", "error"] | None = None,
    log_type: Literal["job", "connection", "config", "system"] | None = None,
    cursor: Annotated[str | None, Query(pattern=r"^\d{1,19}$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> LogPage:
    where = LogFilter(job_id=job_id, run_id=run_id, device_id=device_id, level=level, log_type=log_type)
    entries = await page_of_logs(session, where, int(cursor) if cursor else None, limit)
    next_cursor = str(entries[-1].id) if len(entries) == limit else None
    return LogPage(items=[LogOut.model_validate(e, from_attributes=True) for e in entries], next_cursor=next_cursor)
