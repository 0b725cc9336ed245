"""The audit trail, read-only: there is no endpoint to change or delete an entry."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from netraven_shared.errors import InvalidInput

from netraven_api.audit.repository import AuditFilter, Position, page_of_entries
from netraven_api.audit.schemas import CURSOR_PATTERN, AuditEntryOut, AuditPage, Outcome
from netraven_api.deps import Admin, SessionDep
from netraven_api.errors import error_responses

router = APIRouter(prefix="/audit", tags=["audit"])
Text = Annotated[str | None, Query(min_length=1, max_length=255)]


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@router.get(
    "",
    summary="The audit trail, newest first, filtered; follow next_before for older entries (admin)",
    responses=error_responses(403),
)
async def list_audit_entries(
    session: SessionDep,
    _: Admin,
    actor: Annotated[
        str | None, Query(min_length=1, max_length=255, description="A user's id or username")
    ] = None,
    action: Annotated[
        str | None,
        Query(min_length=1, max_length=60, description="An action or its start (`device.`)"),
    ] = None,
    object_type: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    object_id: Text = None,
    outcome: Outcome | None = None,
    since: Annotated[
        datetime | None,
        Query(description="Entries at or after this time (ISO 8601; UTC if no offset)"),
    ] = None,
    until: Annotated[
        datetime | None, Query(description="Entries before this time (ISO 8601; UTC if no offset)")
    ] = None,
    before: Annotated[
        str | None, Query(pattern=CURSOR_PATTERN, description="next_before of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    since, until = _aware(since), _aware(until)
    if since is not None and until is not None and since >= until:
        raise InvalidInput(
            "since must be before until",
            detail={"since": since.isoformat(), "until": until.isoformat()},
        )
    where = AuditFilter(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        since=since,
        until=until,
    )
    try:
        position = Position.parse(before) if before else None
    except OverflowError as error:
        raise InvalidInput("before is out of range", detail=before) from error
    entries = await page_of_entries(session, where, position, limit)
    next_before = (
        Position(entries[-1].at, entries[-1].id).cursor() if len(entries) == limit else None
    )
    return AuditPage(
        items=[AuditEntryOut.model_validate(e, from_attributes=True) for e in entries],
        next_before=next_before,
    )
