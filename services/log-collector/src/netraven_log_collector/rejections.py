"""Make rejections visible: each `EventRejected` becomes a `rejected_events` row (the admins' view)
and a `bus` warning in the unified log, both in one transaction."""

from typing import Any
from uuid import NAMESPACE_URL, uuid5

from netraven_shared.db.models import LogEntry, RejectedEvent
from netraven_shared.events import EventRejected
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

SOURCE = "log-collector"


def log_line(event: EventRejected) -> str:
    sender = f" from {event.identity}" if event.identity else ""
    return f"{event.service} rejected a message on {event.rejected_subject}{sender}: {event.reason}"


def _rejection_row(event: EventRejected) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "occurred_at": event.occurred_at,
        "rejected_subject": event.rejected_subject,
        "reason": event.reason,
        "service": event.service,
        "identity": event.identity,
    }


def _log_row(event: EventRejected) -> dict[str, Any]:
    return {
        "event_id": uuid5(NAMESPACE_URL, f"netraven:rejection-log:{event.event_id}"),
        "timestamp": event.occurred_at,
        "level": "warning",
        "log_type": "bus",
        "message": log_line(event),
        "source": SOURCE,
        "correlation_id": event.correlation_id,
        "extra": {
            "rejected_subject": event.rejected_subject,
            "service": event.service,
            "identity": event.identity,
        },
    }


class RejectionWriter:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def write(self, events: list[EventRejected]) -> None:
        async with self._sessions() as session:
            rows = insert(RejectedEvent).values([_rejection_row(e) for e in events])
            await session.execute(rows.on_conflict_do_nothing(index_elements=["event_id"]))
            lines = insert(LogEntry).values([_log_row(e) for e in events])
            await session.execute(lines.on_conflict_do_nothing(index_elements=["event_id"]))
            await session.commit()
