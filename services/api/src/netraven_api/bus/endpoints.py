from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from netraven_api.bus import service
from netraven_api.bus.repository import RejectionFilter
from netraven_api.bus.schemas import RejectionPage, RejectionSummary
from netraven_api.deps import Admin, SessionDep
from netraven_api.errors import error_responses
from netraven_api.schemas_common import BIGINT_MAX

router = APIRouter(prefix="/bus", tags=["bus"])
Text = Annotated[str | None, Query(min_length=1, max_length=255)]


@router.get(
    "/rejections",
    summary=(
        "Messages the services refused, newest first; follow next_before for older ones (admin)"
    ),
    responses=error_responses(403),
)
async def list_rejections(
    session: SessionDep,
    _: Admin,
    subject: Text = None,
    identity: Text = None,
    service_name: Annotated[str | None, Query(alias="service", min_length=1, max_length=50)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[int | None, Query(ge=1, le=BIGINT_MAX)] = None,
) -> RejectionPage:
    where = RejectionFilter(subject=subject, identity=identity, service=service_name)
    return await service.list_rejections(session, where, before, limit)


@router.get(
    "/rejections/summary",
    summary="How many messages were refused per subject and sending identity (admin)",
    responses=error_responses(403),
)
async def rejection_summary(
    session: SessionDep,
    _: Admin,
    since: Annotated[
        datetime | None,
        Query(description="Only rejections at or after this time (ISO 8601; UTC if no offset)"),
    ] = None,
) -> RejectionSummary:
    return await service.summarize(session, since)
