"""Write `LogEmitted` events into the unified `logs` table, many rows per statement; the lines of
`LogLinesEmitted` messages go into the same insert (`lines_of_batches`).

The rows go as parameters of one cached statement (SQLAlchemy's insertmanyvalues packs them into
multi-row INSERTs): a `VALUES` list built per batch would be compiled again for every batch size.
A line that arrives twice (a redelivered message, a batch announced again) is stored once: the
insert skips an `event_id` the table holds.
"""

from typing import Any

from netraven_shared.batch_items import Write
from netraven_shared.db.models import LogEntry
from netraven_shared.events import LogEmitted, LogLinesEmitted
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


def _row(event: LogEmitted) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "timestamp": event.occurred_at,
        "level": event.level,
        "log_type": event.log_type,
        "message": event.message,
        "source": event.source,
        "job_id": event.job_id,
        "run_id": event.run_id,
        "device_id": event.device_id,
        "correlation_id": event.correlation_id,
        "extra": event.extra,
    }


_INSERT = insert(LogEntry).on_conflict_do_nothing(index_elements=["event_id"])


class LogWriter:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def write(self, events: list[LogEmitted]) -> None:
        async with self._sessions() as session:
            await session.execute(_INSERT, [_row(event) for event in events])
            await session.commit()


def lines_of_batches(write: Write[LogEmitted]) -> Write[LogLinesEmitted]:
    """`write` for the lines of many `LogLinesEmitted` messages at once."""

    async def write_lines(batches: list[LogLinesEmitted]) -> None:
        await write([line for batch in batches for line in batch.lines])

    return write_lines
