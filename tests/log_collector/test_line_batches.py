"""A batch's log lines travel as one message (`LogLinesEmitted`) and land in the `logs` table, on
real NATS and PostgreSQL: each line once however often its batch arrives, a batch too large for one
message split, a malformed batch rejected and recorded on its own."""

import json
import uuid

from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from netraven_shared.bus_streams import LOGS_MAX_MSG_BYTES
from netraven_shared.db.models import LogEntry
from netraven_shared.events import LogEmitted, LogLinesEmitted, subjects
from netraven_shared.messaging import stream_of
from netraven_shared.operator_log import OperatorLog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.consumers import new_messages_durable, rejections_on, wait_until
from tests.fixtures.infra import Infra
from tests.log_collector.conftest import Running


def lines_of(oplog: OperatorLog, tag: str, count: int, padding: int = 0) -> list[LogEmitted]:
    return [
        oplog.line("info", "config", f"{tag} line {n} " + "x" * padding, commit="a" * 40)
        for n in range(count)
    ]


async def stored(sessions: async_sessionmaker[AsyncSession], tag: str) -> list[uuid.UUID]:
    """The event ids of the rows of `tag`'s lines, one per row."""
    async with sessions() as session:
        return list(
            await session.scalars(
                select(LogEntry.event_id).where(LogEntry.message.like(f"{tag} %"))
            )
        )


async def all_settled(js: JetStreamContext, durable: str) -> bool:
    info = await js.consumer_info(stream_of(subjects.LOG_LINES_EMITTED), durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


class TestOneMessagePerBatch:
    async def test_a_batchs_lines_travel_together_and_each_is_stored_once(
        self,
        running: Running,
        broker: NatsBroker,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        js, tag = running.js, uuid.uuid4().hex[:8]
        oplog = OperatorLog(broker, "gitkeeper")
        lines = lines_of(oplog, tag, 40)
        async with (
            new_messages_durable(js, subjects.LOG_LINES_EMITTED) as batches,
            new_messages_durable(js, subjects.LOG_EMITTED) as singles,
        ):
            await oplog.emit_lines(lines)
            await wait_until(lambda: _has(sessions, tag, 40))
            # announced again (a redelivered backup): the same message, deduplicated by JetStream
            await oplog.emit_lines(lines)
            # past the dedup window, or redelivered to the consumer: another message, same lines
            await js.publish(
                subjects.LOG_LINES_EMITTED, LogLinesEmitted(lines=lines).model_dump_json().encode()
            )
            await wait_until(lambda: all_settled(js, running.lines_durable))
            sent = await js.consumer_info(stream_of(subjects.LOG_LINES_EMITTED), batches)
            assert sent.num_pending == 2, "one message per emit_lines, the repeat deduplicated"
            assert await _fetched(js, subjects.LOG_EMITTED, singles, tag) == []
        ids = await stored(sessions, tag)
        assert sorted(ids) == sorted(line.event_id for line in lines)

    async def test_a_batch_too_large_for_one_message_is_split_and_every_line_stored(
        self,
        running: Running,
        broker: NatsBroker,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        js, tag = running.js, uuid.uuid4().hex[:8]
        oplog = OperatorLog(broker, "gitkeeper")
        lines = lines_of(oplog, tag, 300, padding=1000)  # some 400 KB in all
        async with new_messages_durable(js, subjects.LOG_LINES_EMITTED) as batches:
            await oplog.emit_lines(lines)
            await wait_until(lambda: _has(sessions, tag, 300))
            messages = await _fetched(js, subjects.LOG_LINES_EMITTED, batches, tag)
        sizes = [len(data) for data in messages]
        assert len(messages) > 1 and max(sizes) <= LOGS_MAX_MSG_BYTES, sizes
        carried = [
            line.event_id
            for data in messages
            for line in LogLinesEmitted.model_validate_json(data).lines
        ]
        assert carried == [line.event_id for line in lines], "every line once, in order"
        assert len(await stored(sessions, tag)) == 300


class TestMalformedBatches:
    async def test_are_rejected_alone_and_the_consumer_goes_on(
        self,
        running: Running,
        broker: NatsBroker,
        infra: Infra,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        js, tag = running.js, uuid.uuid4().hex[:8]
        oplog = OperatorLog(broker, "test")
        before, after = lines_of(oplog, f"{tag}-before", 5), lines_of(oplog, f"{tag}-after", 5)
        spoiled = [line.model_dump(mode="json") for line in lines_of(oplog, f"{tag}-spoiled", 3)]
        spoiled[1]["source"] = "s" * 51  # past its column, which the model refuses
        poison = [
            json.dumps({"lines": spoiled}).encode(),
            json.dumps({"lines": []}).encode(),
            json.dumps({"lines": "not a list"}).encode(),
            b"{not json",
        ]
        async with rejections_on(infra, subjects.LOG_LINES_EMITTED) as rejected:
            await js.publish(
                subjects.LOG_LINES_EMITTED, LogLinesEmitted(lines=before).model_dump_json().encode()
            )
            for data in poison:
                await js.publish(subjects.LOG_LINES_EMITTED, data)
            await js.publish(
                subjects.LOG_LINES_EMITTED, LogLinesEmitted(lines=after).model_dump_json().encode()
            )

            async def settled() -> bool:
                return await _has(sessions, f"{tag}-after", 5) and len(rejected) >= len(poison)

            await wait_until(settled)
        assert len(await stored(sessions, f"{tag}-before")) == 5
        assert await stored(sessions, f"{tag}-spoiled") == [], "a malformed batch is refused whole"
        assert len(rejected) == len(poison)
        reasons = " | ".join(r.reason for r in rejected)
        assert "lines.1.source" in reasons and "at least 1 item" in reasons, reasons
        assert all(r.service == "log-collector" for r in rejected)
        assert tag not in reasons, "a rejection never carries the payload"
        assert await all_settled(js, running.lines_durable)


async def _has(sessions: async_sessionmaker[AsyncSession], tag: str, count: int) -> bool:
    async with sessions() as session:
        found = await session.scalar(select(func.count()).where(LogEntry.message.like(f"{tag} %")))
    return found >= count


async def _fetched(js: JetStreamContext, subject: str, durable: str, tag: str) -> list[bytes]:
    """The messages on `subject` that `durable` holds and that mention `tag`."""
    pull = await js.pull_subscribe(subject, durable=durable, stream=stream_of(subject))
    found: list[bytes] = []
    try:
        while True:
            for message in await pull.fetch(100, timeout=1):
                await message.ack()
                if tag.encode() in message.data:
                    found.append(message.data)
    except TimeoutError:  # nothing more to fetch
        return found
    finally:
        await pull.unsubscribe()
