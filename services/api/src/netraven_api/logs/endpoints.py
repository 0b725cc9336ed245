from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal, get_args
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request
from netraven_shared.errors import InvalidInput
from netraven_shared.events.logs import LogType

from netraven_api.auth.security import STREAM_SCOPE, issue_token
from netraven_api.deps import (
    CurrentClaims,
    SessionDep,
    SettingsDep,
    SignInOnly,
    StreamClaims,
    Viewer,
)
from netraven_api.live_stream import LiveEvents, event_stream
from netraven_api.logs.repository import LogFilter, counts_by, page_of_logs
from netraven_api.logs.schemas import LogOut, LogPage, StreamToken, VocabularyEntry
from netraven_api.logs.stream import live_log
from netraven_api.schemas_common import ROW_ID_PATTERN, Cursor, RowId

router = APIRouter(prefix="/logs", tags=["logs"])
STREAM_TOKEN_SECONDS = 60
Level = Literal["debug", "info", "warning", "error"]


def log_filter(
    job_id: UUID | None = None,
    run_id: UUID | None = None,
    device_id: UUID | None = None,
    level: Level | None = None,
    log_type: LogType | None = None,
    since: Annotated[
        datetime | None,
        Query(description="Entries at or after this time (ISO 8601; UTC if no offset)"),
    ] = None,
    until: Annotated[
        datetime | None, Query(description="Entries before this time (ISO 8601; UTC if no offset)")
    ] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Text the message contains, ignoring case"),
    ] = None,
) -> LogFilter:
    since, until = _aware(since), _aware(until)
    if since is not None and until is not None and since >= until:
        raise InvalidInput(
            "since must be before until",
            detail={"since": since.isoformat(), "until": until.isoformat()},
        )
    return LogFilter(
        job_id=job_id,
        run_id=run_id,
        device_id=device_id,
        level=level,
        log_type=log_type,
        since=since,
        until=until,
        text=q,
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError as error:
        raise InvalidInput("time out of range", detail=moment.isoformat()) from error


Filter = Annotated[LogFilter, Depends(log_filter)]


@router.get(
    "", summary="The unified log, newest first, filtered; follow next_cursor for older entries"
)
async def list_logs(
    session: SessionDep,
    _: Viewer,
    where: Filter,
    cursor: Cursor | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> LogPage:
    entries = await page_of_logs(session, where, int(cursor) if cursor else None, limit)
    next_cursor = str(entries[-1].id) if len(entries) == limit else None
    return LogPage(
        items=[LogOut.model_validate(e, from_attributes=True) for e in entries],
        next_cursor=next_cursor,
    )


@router.get(
    "/types", summary="Every log type, with how many entries (matching the filters) have it"
)
async def log_types(session: SessionDep, _: Viewer, where: Filter) -> list[VocabularyEntry]:
    counts = await counts_by(session, "log_type", where)
    return [VocabularyEntry(value=value, count=counts.get(value, 0)) for value in get_args(LogType)]


@router.get(
    "/levels",
    summary=(
        "Every log level, least severe first, with how many entries (matching the filters) have it"
    ),
)
async def log_levels(session: SessionDep, _: Viewer, where: Filter) -> list[VocabularyEntry]:
    counts = await counts_by(session, "level", where)
    return [VocabularyEntry(value=value, count=counts.get(value, 0)) for value in get_args(Level)]


@router.post(
    "/stream-token",
    summary="A 60-second token for opening the live log stream from a browser",
    description=(
        "Not for API tokens (403): a script sends its token as the stream's bearer header instead."
    ),
)
async def stream_token(
    user: Viewer, _: SignInOnly, claims: CurrentClaims, settings: SettingsDep
) -> StreamToken:
    lifetime = timedelta(seconds=STREAM_TOKEN_SECONDS)
    token = issue_token(
        user, settings.jwt_secret, lifetime, auth_time=claims.auth_time, scope=STREAM_SCOPE
    )
    return StreamToken(token=token, expires_in=STREAM_TOKEN_SECONDS)


@router.get(
    "/stream",
    response_class=LiveEvents,
    summary=(
        "New log entries as Server-Sent Events (same filters as GET /api/logs); "
        "resumes after Last-Event-ID"
    ),
    description="The stream closes within NETRAVEN_STREAM_RECHECK_SECONDS once the account is "
    "disabled or its sessions are ended.",
)
async def stream_logs(
    request: Request,
    caller: StreamClaims,
    where: Filter,
    last_event_id: Annotated[RowId | None, Header(pattern=ROW_ID_PATTERN)] = None,
    resume_after: Annotated[
        RowId | None,
        Query(
            alias="last_event_id",
            pattern=ROW_ID_PATTERN,
            description=(
                "The Last-Event-ID for a browser that reopens the stream with a fresh token (the "
                "header wins)"
            ),
        ),
    ] = None,
) -> LiveEvents:
    after = last_event_id or resume_after
    return event_stream(live_log(request, caller, where, int(after) if after else None))
