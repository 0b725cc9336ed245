"""What log-collector prunes (see netraven_shared.retention): the unified log by each line's time,
rejected events by when they were rejected."""

from datetime import datetime

from netraven_shared.db.models import LogEntry, RejectedEvent
from netraven_shared.retention import Retention, delete_oldest
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_log_collector.config import LogCollectorSettings


async def delete_log_lines(session: AsyncSession, cutoff: datetime, limit: int) -> int:
    return await delete_oldest(session, LogEntry, LogEntry.timestamp, cutoff, limit)


async def delete_rejected_events(session: AsyncSession, cutoff: datetime, limit: int) -> int:
    return await delete_oldest(session, RejectedEvent, RejectedEvent.occurred_at, cutoff, limit)


def log_collector_retentions(settings: LogCollectorSettings) -> list[Retention]:
    return [
        Retention("log lines", settings.log_retention_days, delete_log_lines),
        Retention(
            "rejected events", settings.rejected_event_retention_days, delete_rejected_events
        ),
    ]
