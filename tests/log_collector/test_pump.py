"""The log pump on real NATS and PostgreSQL: bad entries are rejected alone, good ones written."""

import asyncio
import uuid

import nats
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_log_collector.pump import LogPump
from netraven_log_collector.writer import LogWriter
from netraven_shared.db.models import LogEntry
from netraven_shared.events import LogEmitted, subjects
from tests.fixtures.infra import Infra


async def wait_until(predicate, timeout: float = 15) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.2)


class TestLogPump:
    async def test_a_malformed_entry_is_rejected_and_the_valid_one_beside_it_is_written(
        self, infra: Infra, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        connection = await nats.connect(**infra.nats_options())
        js = connection.jetstream()
        durable = f"test-pump-{uuid.uuid4().hex[:8]}"
        pump = LogPump(js, LogWriter(sessions), batch_size=50, durable=durable)
        task = asyncio.create_task(pump.run())
        try:
            event = LogEmitted(level="info", log_type="system", message="pump test line", source="test")
            await js.publish(subjects.LOG_EMITTED, b"{not json")
            await js.publish(subjects.LOG_EMITTED, b'{"level": "loud"}')
            await js.publish(subjects.LOG_EMITTED, event.model_dump_json().encode())

            async def written() -> bool:
                async with sessions() as session:
                    return await session.scalar(select(LogEntry.id).where(LogEntry.event_id == event.event_id)) is not None

            async def nothing_pending() -> bool:
                info = await js.consumer_info("NETRAVEN_LOGS", durable)
                return info.num_pending == 0 and info.num_ack_pending == 0

            await wait_until(written)
            await wait_until(nothing_pending)
            assert not task.done()
        finally:
            pump.stop()
            await asyncio.wait_for(task, timeout=5)
            await js.delete_consumer("NETRAVEN_LOGS", durable)
            await connection.close()
