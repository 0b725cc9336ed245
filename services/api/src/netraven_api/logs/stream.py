"""The live log: new entries as Server-Sent Events, resumable without loss or repeats.

Each event's id is the log entry's id. A reconnecting browser sends the last one it saw as
`Last-Event-ID`, and the stream continues strictly after it. The log-collector writes one batch
per statement, one statement at a time, so ids become visible in order and a keyset on id
neither skips nor repeats entries.
"""

import asyncio
from collections.abc import AsyncIterator

from fastapi import Request
from fastapi.sse import ServerSentEvent

from netraven_api.logs.repository import LogFilter, logs_after, newest_log_id
from netraven_api.logs.schemas import LogOut

POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0
BATCH = 200


async def live_log(request: Request, where: LogFilter, last_event_id: int | None) -> AsyncIterator[ServerSentEvent]:
    sessions = request.app.state.sessions
    if last_event_id is None:
        async with sessions() as session:
            last_event_id = await newest_log_id(session)
    yield ServerSentEvent(comment="connected", retry=3000)
    quiet = 0.0
    while not await request.is_disconnected():
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
