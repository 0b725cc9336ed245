"""Write the run recorder's events together: one transaction for every event that arrived meanwhile.

A transaction per event made every event of a run wait for the run's row lock in turn, each
holding it for several round trips, so a run of thousands of devices was recorded at a few events
a second on a busy host. Here one writer task takes whatever events are waiting (from all the
recorder's subscribers), records them in one transaction that locks each run once and refreshes
its status once, commits, and only then lets each handler return so its message is acked. If the
batch fails, each event is retried in a transaction of its own, so one bad event fails alone.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.runs.progress import lock_and_load, one_refresh_per_run
from netraven_shared.events import Event

log = structlog.get_logger()

Record = Callable[[AsyncSession, Event], Awaitable[None]]
MAX_BATCH = 500


@dataclass(frozen=True)
class _Pending:
    event: Event
    record: Record
    done: asyncio.Future[None]


class RecordBatcher:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], max_batch: int = MAX_BATCH) -> None:
        self._sessions = sessions
        self._max_batch = max_batch
        self._waiting: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, event: Event, record: Record) -> None:
        """Return once `event` is committed; raise what recording it raised."""
        pending = _Pending(event, record, asyncio.get_running_loop().create_future())
        self._waiting.append(pending)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_while_waiting())
        await asyncio.shield(pending.done)

    async def _write_while_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:self._max_batch], self._waiting[self._max_batch:]
            try:
                await self._write(batch)
            except Exception as error:
                log.warning("runs.batch_failed", events=len(batch), error=str(error), retry="one event per transaction")
                for pending in batch:
                    await self._write_alone(pending)
            else:
                for pending in batch:
                    pending.done.set_result(None)

    async def _write(self, batch: list[_Pending]) -> None:
        async with self._sessions() as session:
            async with one_refresh_per_run(session):
                await lock_and_load(session, {key for pending in batch if (key := _result_key(pending.event))})
                for pending in batch:
                    await pending.record(session, pending.event)
            await session.commit()

    async def _write_alone(self, pending: _Pending) -> None:
        try:
            async with self._sessions() as session:
                await pending.record(session, pending.event)
                await session.commit()
        except Exception as error:
            pending.done.set_exception(error)
        else:
            pending.done.set_result(None)


def _result_key(event: Event) -> tuple[UUID, UUID] | None:
    """The (run, device) result an event is about, when it names both."""
    run_id, device_id = getattr(event, "run_id", None), getattr(event, "device_id", None)
    return (run_id, device_id) if run_id is not None and device_id is not None else None
