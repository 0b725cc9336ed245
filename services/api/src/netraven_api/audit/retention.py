"""Audit entries older than NETRAVEN_AUDIT_RETENTION_DAYS are deleted, in batches, once an hour (0
keeps them)."""

import asyncio
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.audit.repository import delete_older_than
from netraven_api.unit_of_work import unit_of_work

log = structlog.get_logger()
SWEEP_INTERVAL_SECONDS = 3600
BATCH = 5000


async def sweep_expired(
    sessions: async_sessionmaker[AsyncSession], retention_days: int, now: datetime | None = None
) -> int:
    """How many entries were deleted. Each batch is its own short transaction: a large backlog never
    holds one long lock on the table."""
    if retention_days <= 0:
        return 0
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    deleted = 0
    while True:
        async with unit_of_work(sessions) as work:
            swept = await delete_older_than(work.session, cutoff, BATCH)
        deleted += swept
        if swept < BATCH:
            break
    if deleted:
        log.info("audit.entries_expired", deleted=deleted, retention_days=retention_days)
    return deleted


async def sweep_forever(sessions: async_sessionmaker[AsyncSession], retention_days: int) -> None:
    while True:
        try:
            await sweep_expired(sessions, retention_days)
        except Exception:
            log.exception("audit.sweep_failed")
        await asyncio.sleep(SWEEP_INTERVAL_SECONDS)
