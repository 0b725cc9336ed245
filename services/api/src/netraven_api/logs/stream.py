"""The live log: new entries as Server-Sent Events, resumable without loss or repeats.

Each event's id is the log entry's id. A reconnecting browser sends the last one it saw as
`Last-Event-ID`, and the stream continues strictly after it: it joins the process's shared feed
first, then catches up from the database with its own filter, then follows the feed, skipping what
the catch-up already sent. A stream that falls behind the feed ends; its browser resumes the same
way.
"""

from collections.abc import AsyncIterator

from fastapi import Request

from netraven_api.auth.security import TokenClaims
from netraven_api.live_stream import CONNECTED, HEARTBEAT, follow
from netraven_api.logs.feed import LogFeed, log_event, matches
from netraven_api.logs.repository import LogFilter, logs_after, newest_log_id
from netraven_api.logs.schemas import LogOut

CATCH_UP_BATCH = 200


async def live_log(
    request: Request,
    caller: TokenClaims,
    where: LogFilter,
    last_event_id: int | None,
) -> AsyncIterator[bytes]:
    """Ends when the caller hangs up, or when a recheck finds the account disabled or its sessions
    ended."""
    sessions = request.app.state.sessions
    feed: LogFeed = request.app.state.log_feed
    async with feed.listening() as listener:
        async with sessions() as session:
            last_id = last_event_id if last_event_id is not None else await newest_log_id(session)
        yield CONNECTED
        while True:
            async with sessions() as session:
                rows = await logs_after(session, where, last_id, CATCH_UP_BATCH)
            if rows:
                last_id = rows[-1].id
                yield b"".join(
                    log_event(LogOut.model_validate(row, from_attributes=True)) for row in rows
                )
            if len(rows) < CATCH_UP_BATCH:
                break
        async for batch in follow(request, caller, listener):
            if batch is None:
                yield HEARTBEAT
                continue
            wanted = [fed for fed in batch if fed.entry.id > last_id and matches(where, fed.entry)]
            if wanted:
                last_id = wanted[-1].entry.id
                yield b"".join(fed.event for fed in wanted)
