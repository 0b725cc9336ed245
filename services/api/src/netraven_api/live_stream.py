"""What every live stream (the log, run progress) shares.

Events go out as bytes encoded once per event for all streams, a whole batch per write: at hundreds
of streams per process, FastAPI's per-item SSE machinery (a task pair and two queues per stream,
an encoding per event per stream) cost more than everything else. While it waits, a stream follows
its listener on the process's fanout and rechecks the caller as every request is checked, ending
within NETRAVEN_STREAM_RECHECK_SECONDS once the account is disabled, its sessions ended, or its API
token revoked or expired. A stream whose listener fell behind ends too: the browser reconnects.
"""

import time
from collections.abc import AsyncIterator
from typing import TypeVar

from fastapi import Request
from fastapi.responses import StreamingResponse
from fastapi.sse import format_sse_event
from netraven_shared.errors import NotAuthenticated
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.auth.security import TokenClaims
from netraven_api.deps import signed_in_user
from netraven_api.fanout import FellBehind, Listener

Item = TypeVar("Item")
CONNECTED = format_sse_event(comment="connected", retry=3000)
HEARTBEAT = format_sse_event(comment="heartbeat")
HEARTBEAT_SECONDS = 15.0


class LiveEvents(StreamingResponse):
    """Server-Sent Events written as they come (not FastAPI's EventSourceResponse, which wants a
    generator of single events)."""

    media_type = "text/event-stream"


def event_stream(body: AsyncIterator[bytes]) -> LiveEvents:
    return LiveEvents(body, headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def follow(
    request: Request,
    caller: TokenClaims,
    listener: Listener[Item],
) -> AsyncIterator[Item | None]:
    """The listener's items; None after HEARTBEAT_SECONDS without one (time for a heartbeat)."""
    sessions = request.app.state.sessions
    recheck_seconds = request.app.state.settings.stream_recheck_seconds
    checked_at = time.monotonic()
    while True:
        waited = time.monotonic() - checked_at
        if waited >= recheck_seconds:
            if not await _still_signed_in(sessions, caller):
                return
            checked_at, waited = time.monotonic(), 0.0
        try:
            yield await listener.next(timeout=min(HEARTBEAT_SECONDS, recheck_seconds - waited))
        except FellBehind:
            return


async def _still_signed_in(sessions: async_sessionmaker[AsyncSession], caller: TokenClaims) -> bool:
    async with sessions() as session:
        try:
            await signed_in_user(session, caller)
        except NotAuthenticated:
            return False
        return True
