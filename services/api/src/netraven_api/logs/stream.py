"""The live log: new entries as Server-Sent Events, resumable without loss or repeats.

Each event's id is the log entry's id. A reconnecting browser sends the last one it saw as
`Last-Event-ID`, and the stream continues strictly after it. The log-collector writes one batch
per statement, one statement at a time, so ids become visible in order and a keyset on id
neither skips nor repeats entries.
"""

import asyncio
import time
from collections.abc import AsyncIterator

from fastapi import Request
from fastapi.sse import ServerSentEvent
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.auth.security import TokenClaims
from netraven_api.deps import signed_in_user
from netraven_api.logs.repository import LogFilter, logs_after, newest_log_id
from netraven_api.logs.schemas import LogOut
from netraven_shared.errors import NotAuthenticated

POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0
BATCH = 200


async def live_log(
    request: Request, caller: TokenClaims, where: LogFilter, last_event_id: int | None,
) -> AsyncIterator[ServerSentEvent]:
    """Ends when the caller hangs up, or when a recheck finds the account disabled or its sessions ended."""
    sessions = request.app.state.sessions
    recheck_seconds = request.app.state.settings.stream_recheck_seconds
    if last_event_id is None:
        async with sessions() as session:
            last_event_id = await newest_log_id(session)
    yield ServerSentEvent(comment="connected", retry=3000)
    quiet = 0.0
    checked_at = time.monotonic()
    while not await request.is_disconnected():
        if time.monotonic() - checked_at >= recheck_seconds:
            if not await _still_signed_in(sessions, caller):
                return
            checked_at = time.monotonic()
        async with sessions() as session:
            entries = await logs_after(session, where, last_event_id, BATCH)
        for entry in entries:
            last_event_id = entry.id
            yield ServerSentEvent(id=str(entry.id), event="log", data=LogOut.model_validate(entry, from_attributes=True))
        if entries:
            quiet = 0.0
            continue
        await asyncio.sleep(POLL_SECONDS)
        quiet += POLL_SECONDS
        if quiet >= HEARTBEAT_SECONDS:
            quiet = 0.0
            yield ServerSentEvent(comment="heartbeat")


async def _still_signed_in(sessions: async_sessionmaker[AsyncSession], caller: TokenClaims) -> bool:
    """The same check as every request's: an API token's stream also ends once the token is revoked or expires."""
    async with sessions() as session:
        try:
            await signed_in_user(session, caller)
        except NotAuthenticated:
            return False
        return True
