"""log-collector's consumers running on durables of their own that start at new messages: the
session's streams also hold other tests' messages."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from netraven_log_collector.app import build_consumers
from netraven_log_collector.rejections import RejectionWriter
from netraven_log_collector.writer import LogWriter
from netraven_shared.events import subjects
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.consumers import new_messages_durable


@dataclass(frozen=True)
class Running:
    js: JetStreamContext
    lines_durable: str  # what the consumer of `LogLinesEmitted` pulls from


@pytest.fixture
async def running(
    broker: NatsBroker, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Running]:
    js = broker.config.connection_state.stream
    async with (
        new_messages_durable(js, subjects.LOG_EMITTED) as logs,
        new_messages_durable(js, subjects.LOG_LINES_EMITTED) as lines,
        new_messages_durable(js, subjects.EVENT_REJECTED) as rejected,
    ):
        consumers = build_consumers(
            broker,
            LogWriter(sessions),
            RejectionWriter(sessions),
            200,
            logs,
            rejected,
            lines_durable=lines,
        )
        for consumer in consumers:
            await consumer.start()
        yield Running(js, lines)
        for consumer in consumers:
            await consumer.close()
