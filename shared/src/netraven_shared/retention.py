"""Retention: rows older than a number of days are deleted in batches, once an hour (0 days keeps
them). Each table is swept by the service that owns it: the api its audit entries and runs,
log-collector the unified log and the rejected events, the notifier its delivery log. Config
history (`config_versions` and the git repository) is never pruned.

Each batch is its own short transaction, so a large backlog never holds one long lock on a table.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import structlog
from sqlalchemy import ColumnElement, CursorResult, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from netraven_shared.db.base import Base, utc_now
from netraven_shared.operator_log import OperatorLog

log = structlog.get_logger()
SWEEP_INTERVAL_SECONDS = 3600
BATCH = 5000

DeleteBatch = Callable[[AsyncSession, datetime, int], Awaitable[int]]


@dataclass(frozen=True)
class Retention:
    what: str  # plural, for the log line: "log lines", "runs"
    days: int  # 0 keeps everything
    delete_batch: DeleteBatch  # deletes at most `limit` rows from before the cutoff; how many went

    def deleted_message(self, deleted: int) -> str:
        return f"retention: deleted {deleted} {self.what} older than {self.days} days"


async def delete_oldest(
    session: AsyncSession,
    model: type[Base],
    at: InstrumentedAttribute[datetime],
    cutoff: datetime,
    limit: int,
    *conditions: ColumnElement[bool],
) -> int:
    """Delete at most `limit` of the oldest rows of `model` whose `at` is before `cutoff` (and that
    meet `conditions`); how many went."""
    key = cast(InstrumentedAttribute[Any], model.id)  # type: ignore[attr-defined]
    oldest = (
        select(key).where(at < cutoff, *conditions).order_by(at, key).limit(limit)
    ).scalar_subquery()
    result = await session.execute(delete(model).where(key.in_(oldest)))
    return cast(CursorResult[Any], result).rowcount


async def sweep_expired(
    sessions: async_sessionmaker[AsyncSession], retention: Retention, now: datetime
) -> int:
    """How many rows were deleted."""
    if retention.days <= 0:
        return 0
    cutoff = now - timedelta(days=retention.days)
    deleted = 0
    while True:
        async with sessions() as session, session.begin():
            swept = await retention.delete_batch(session, cutoff, BATCH)
        deleted += swept
        if swept < BATCH:
            return deleted


async def sweep_all(
    sessions: async_sessionmaker[AsyncSession],
    retentions: Sequence[Retention],
    oplog: OperatorLog,
    now: datetime,
) -> dict[str, int]:
    """One sweep of every retention; what each deleted. A failed sweep is logged and leaves the
    others to run."""
    deleted: dict[str, int] = {}
    for retention in retentions:
        try:
            deleted[retention.what] = await sweep_expired(sessions, retention, now)
        except Exception:
            log.exception("retention.sweep_failed", what=retention.what)
            continue
        if deleted[retention.what]:
            log.info(
                "retention.deleted",
                what=retention.what,
                deleted=deleted[retention.what],
                retention_days=retention.days,
            )
            await oplog.emit("info", "system", retention.deleted_message(deleted[retention.what]))
    return deleted


async def sweep_forever(
    sessions: async_sessionmaker[AsyncSession],
    retentions: Sequence[Retention],
    oplog: OperatorLog,
    clock: Callable[[], datetime] = utc_now,
) -> None:
    while True:
        await sweep_all(sessions, retentions, oplog, clock())
        await asyncio.sleep(SWEEP_INTERVAL_SECONDS)
