"""The live log, fed once per api process: one poll of the log table serves every open stream.

The poll runs only while a stream listens. Each new entry becomes its SSE event once, and every
batch is offered to all listeners, each keeping what its filter wants (`matches`, the filter of
`logs.repository` in Python). The log-collector writes one batch per statement, one statement at a
time, so ids become visible in order and a keyset on id neither skips nor repeats entries.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import structlog
from fastapi.sse import format_sse_event
from netraven_shared.task_stop import stop_task
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.fanout import Fanout, Listener
from netraven_api.logs.repository import LogFilter, logs_after, newest_log_id
from netraven_api.logs.schemas import LogOut

POLL_SECONDS = 0.1
BATCH = 500
QUEUED_BATCHES = 100

log = structlog.get_logger()


@dataclass(frozen=True)
class FedEntry:
    entry: LogOut
    event: bytes


def log_event(entry: LogOut) -> bytes:
    """Each event's id is the entry's id: a reconnecting browser resumes after it."""
    return format_sse_event(id=str(entry.id), event="log", data_str=entry.model_dump_json())


def matches(where: LogFilter, entry: LogOut) -> bool:
    for field in ("job_id", "run_id", "device_id", "level", "log_type"):
        wanted = getattr(where, field)
        if wanted is not None and getattr(entry, field) != wanted:
            return False
    if where.since is not None and entry.timestamp < where.since:
        return False
    if where.until is not None and entry.timestamp >= where.until:
        return False
    return not where.text or where.text.lower() in entry.message.lower()


class LogFeed:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._fanout: Fanout[list[FedEntry]] = Fanout(QUEUED_BATCHES)
        self._poller: asyncio.Task[None] | None = None

    @property
    def listeners(self) -> int:
        return self._fanout.listeners

    @asynccontextmanager
    async def listening(self) -> AsyncIterator[Listener[list[FedEntry]]]:
        """Every entry committed once this is entered reaches the listener, unless it lags."""
        if not self._polling():
            async with self._sessions() as session:
                after = await newest_log_id(session)
            if not self._polling():
                self._poller = asyncio.create_task(self._poll(after))
        with self._fanout.listening() as listener:
            yield listener

    async def close(self) -> None:
        await stop_task(self._poller)

    def _polling(self) -> bool:
        return self._poller is not None and not self._poller.done()

    async def _poll(self, after: int) -> None:
        """Until the last listener leaves (checked with no wait since listening() looked)."""
        while self._fanout.listeners:
            try:
                async with self._sessions() as session:
                    rows = await logs_after(session, LogFilter(), after, BATCH)
            except Exception:
                log.exception("log_feed.poll_failed")
                rows = []
            if rows:
                after = rows[-1].id
                entries = [LogOut.model_validate(row, from_attributes=True) for row in rows]
                self._fanout.publish([FedEntry(entry, log_event(entry)) for entry in entries])
            if len(rows) < BATCH:
                await asyncio.sleep(POLL_SECONDS)
