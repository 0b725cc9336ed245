"""log-collector's retention sweep on the real PostgreSQL, at a time a fake clock sets: log lines
and rejected events past their retention go, newer ones stay, 0 keeps everything, and each sweep
says in the unified log what it deleted."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import nats
import pytest
from faststream.nats import NatsBroker
from netraven_log_collector.config import LogCollectorSettings
from netraven_log_collector.retention import log_collector_retentions
from netraven_shared.db.models import LogEntry, RejectedEvent
from netraven_shared.events.base import utc_now
from netraven_shared.events.logs import LOG_LINE_SUBJECTS, lines_in
from netraven_shared.operator_log import OperatorLog
from netraven_shared.retention import sweep_all
from sqlalchemy import select

from tests.fixtures.clock import FakeClock
from tests.fixtures.consumers import wait_until
from tests.fixtures.factories import unique
from tests.fixtures.infra import Infra


def settings(log_days: int, rejected_days: int) -> LogCollectorSettings:
    return LogCollectorSettings(
        log_retention_days=log_days, rejected_event_retention_days=rejected_days
    )


async def add_rows(sessions, marker: str, clock: FakeClock) -> None:
    """Log lines 100 and 89 days old, rejected events 31 and 29 days old, each named by its age."""
    async with sessions() as session:
        for age in (100, 89):
            session.add(
                LogEntry(
                    event_id=uuid.uuid4(),
                    timestamp=clock() - timedelta(days=age),
                    level="info",
                    log_type="system",
                    message=f"{marker}-{age}",
                    source="test",
                )
            )
        for age in (31, 29):
            session.add(
                RejectedEvent(
                    event_id=uuid.uuid4(),
                    occurred_at=clock() - timedelta(days=age),
                    rejected_subject="netraven.test",
                    reason=f"{marker}-{age}",
                    service="test",
                )
            )
        await session.commit()


async def kept(sessions, marker: str) -> tuple[set[str], set[str]]:
    async with sessions() as session:
        messages = select(LogEntry.message).where(LogEntry.message.startswith(marker))
        lines = set(await session.scalars(messages))
        rejections = set(
            await session.scalars(
                select(RejectedEvent.reason).where(RejectedEvent.reason.startswith(marker))
            )
        )
    return lines, rejections


@pytest.fixture
async def log_lines(infra: Infra) -> AsyncIterator[list[str]]:
    """The messages of the log lines published from now on."""
    connection = await nats.connect(**infra.nats_options())
    messages: list[str] = []

    async def collect(message) -> None:
        messages.extend(line.message for line in lines_in(message.subject, message.data))

    for subject in LOG_LINE_SUBJECTS:
        await connection.subscribe(subject, cb=collect)
    yield messages
    await connection.close()


class TestSweep:
    async def test_old_rows_go_and_newer_rows_stay(
        self, sessions, broker: NatsBroker, log_lines: list[str]
    ) -> None:
        clock, marker = FakeClock(utc_now()), unique("retention")
        await add_rows(sessions, marker, clock)

        deleted = await sweep_all(
            sessions,
            log_collector_retentions(settings(90, 30)),
            OperatorLog(broker, "log-collector"),
            clock(),
        )

        assert await kept(sessions, marker) == ({f"{marker}-89"}, {f"{marker}-29"})
        assert deleted["log lines"] >= 1 and deleted["rejected events"] >= 1
        expected = f"retention: deleted {deleted['log lines']} log lines older than 90 days"
        await wait_until(lambda: _holds(log_lines, expected), timeout=5)

    async def test_a_later_clock_takes_the_newer_rows_too(self, sessions, broker) -> None:
        clock, marker = FakeClock(utc_now()), unique("retention")
        await add_rows(sessions, marker, clock)
        clock.now += timedelta(days=2)

        await sweep_all(
            sessions,
            log_collector_retentions(settings(90, 30)),
            OperatorLog(broker, "log-collector"),
            clock(),
        )

        assert await kept(sessions, marker) == (set(), set())

    async def test_zero_keeps_everything(self, sessions, broker) -> None:
        clock, marker = FakeClock(utc_now()), unique("retention")
        await add_rows(sessions, marker, clock)

        deleted = await sweep_all(
            sessions,
            log_collector_retentions(settings(0, 0)),
            OperatorLog(broker, "log-collector"),
            clock(),
        )

        assert deleted == {"log lines": 0, "rejected events": 0}
        assert await kept(sessions, marker) == (
            {f"{marker}-100", f"{marker}-89"},
            {f"{marker}-31", f"{marker}-29"},
        )


async def _holds(messages: list[str], expected: str) -> bool:
    return expected in messages
