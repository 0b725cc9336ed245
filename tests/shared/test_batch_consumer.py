"""The shared batch consumer on real NATS and PostgreSQL: a database outage spends no delivery and
loses nothing (not even the messages delivered after their batch was collected), an empty pull
is silent, and a stopped loop makes /health say 503."""

import asyncio
import uuid

import pytest
import structlog
from faststream.nats import NatsBroker
from httpx import ASGITransport, AsyncClient
from netraven_log_collector.writer import LogWriter
from netraven_shared import batch_pull
from netraven_shared.batch_consumer import BatchConsumer
from netraven_shared.batch_items import parsed_as
from netraven_shared.db.models import LogEntry
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.events import LogEmitted, subjects
from netraven_shared.messaging import stream_of
from netraven_shared.rejection import Rejected
from netraven_shared.service_app import build_service_app
from sqlalchemy import func, select

from tests.fixtures.consumers import new_messages_durable, rejections_on, wait_until
from tests.fixtures.infra import Infra
from tests.fixtures.tcp_proxy import TcpProxy, engine_through

ACK_WAIT = 3.0
QUIET_SUBJECT = "netraven.bus.test-quiet"


def line(message: str) -> bytes:
    return (
        LogEmitted(level="info", log_type="system", message=message, source="test")
        .model_dump_json()
        .encode()
    )


def stored_at_least(engine, tag: str, wanted: int):
    async def check() -> bool:
        async with session_factory(engine)() as session:
            return (
                await session.scalar(select(func.count()).where(LogEntry.message.like(f"{tag} %")))
                >= wanted
            )

    return check


class TestDatabaseOutage:
    async def test_the_batch_is_held_without_spending_deliveries_and_all_is_stored_after(
        self,
        broker: NatsBroker,
        infra: Infra,
        database_proxy: TcpProxy,
    ) -> None:
        js = broker.config.connection_state.stream
        through_proxy = engine_through(database_proxy, infra)
        direct = create_engine(infra.database_url)
        tag = uuid.uuid4().hex[:8]
        async with new_messages_durable(js, subjects.LOG_EMITTED, ack_wait=ACK_WAIT) as durable:
            consumer = BatchConsumer(
                broker,
                subjects.LOG_EMITTED,
                durable,
                "test",
                parsed_as(LogEmitted),
                LogWriter(session_factory(through_proxy)).write,
                ack_wait_seconds=ACK_WAIT,
            )
            await consumer.start()
            try:
                await js.publish(subjects.LOG_EMITTED, line(f"{tag} before the outage"))
                await wait_until(stored_at_least(direct, tag, 1))
                with structlog.testing.capture_logs() as logs:
                    await database_proxy.stop()
                    for n in range(30):
                        await js.publish(subjects.LOG_EMITTED, line(f"{tag} during the outage {n}"))
                    await asyncio.sleep(ACK_WAIT * 3)
                    held = await js.consumer_info(stream_of(subjects.LOG_EMITTED), durable)
                    assert held.num_redelivered == 0 and held.num_ack_pending > 0
                    await database_proxy.start()
                    await wait_until(stored_at_least(direct, tag, 31), timeout=60)
                after = await js.consumer_info(stream_of(subjects.LOG_EMITTED), durable)
                assert (after.num_redelivered, after.num_pending, after.num_ack_pending) == (
                    0,
                    0,
                    0,
                )
                warnings = [e for e in logs if e["event"] == "dependency.unreachable"]
                assert (
                    len(warnings) == 1
                    and f"consumer {durable} (write) holding" in warnings[0]["message"]
                )
                assert not [e for e in logs if e["log_level"] == "error"]
                assert consumer.not_ready_reason() is None
            finally:
                await consumer.close()
                await through_proxy.dispose()
                await direct.dispose()


class TestMessagesDeliveredAfterTheBatchWasCollected:
    """A pull request can outlive the batch it was sent for: what the server sends while that
    batch is written waits in no batch. Held through an outage, those stragglers must be kept
    alive too."""

    async def test_are_held_with_the_batch_and_written_once(
        self, broker: NatsBroker, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        js = broker.config.connection_state.stream
        # a request that stays open long after "in hand" is collected delivers the stragglers
        monkeypatch.setattr(batch_pull, "FETCH_SECONDS", 60.0)
        outage = True
        tried = asyncio.Event()
        written: list[str] = []

        async def write(events: list[LogEmitted]) -> None:
            tried.set()
            if outage:
                raise ConnectionRefusedError("the database is down")
            written.extend(e.message for e in events)

        async with new_messages_durable(js, QUIET_SUBJECT, ack_wait=ACK_WAIT) as durable:
            consumer = BatchConsumer(
                broker,
                QUIET_SUBJECT,
                durable,
                "test",
                parsed_as(LogEmitted),
                write,
                ack_wait_seconds=ACK_WAIT,
            )
            await consumer.start()
            try:
                await js.publish(QUIET_SUBJECT, line("in hand"))
                await asyncio.wait_for(tried.wait(), timeout=20)
                stragglers = [f"straggler {n}" for n in range(5)]
                for message in stragglers:
                    await js.publish(QUIET_SUBJECT, line(message))
                await asyncio.sleep(ACK_WAIT * 2.5)
                held = await js.consumer_info(stream_of(QUIET_SUBJECT), durable)
                outage = False

                async def all_written() -> bool:
                    return len(written) >= 6

                await wait_until(all_written, timeout=40)
                await asyncio.sleep(1)  # time for a redelivered copy to be written again
                after = await js.consumer_info(stream_of(QUIET_SUBJECT), durable)
            finally:
                await consumer.close()
        assert (held.num_ack_pending, held.num_redelivered) == (6, 0)
        assert sorted(written) == sorted(["in hand", *stragglers])
        assert (after.num_ack_pending, after.num_redelivered) == (0, 0)


class TestAnItemTheWriteRefuses:
    async def test_is_rejected_alone_with_its_reason_and_the_rest_is_written(
        self, broker: NatsBroker, infra: Infra
    ) -> None:
        js = broker.config.connection_state.stream
        written: list[str] = []

        async def write(events: list[LogEmitted]) -> None:
            if refused := [e for e in events if e.message.startswith("refuse")]:
                raise Rejected(f"{refused[0].message} is not in the inventory")
            written.extend(e.message for e in events)

        async with (
            new_messages_durable(js, QUIET_SUBJECT) as durable,
            rejections_on(infra, QUIET_SUBJECT) as rejected,
        ):
            consumer = BatchConsumer(
                broker, QUIET_SUBJECT, durable, "test", parsed_as(LogEmitted), write
            )
            messages = [f"valid {n}" for n in range(20)]
            for message in [*messages[:7], "refuse a", *messages[7:15], "refuse b", *messages[15:]]:
                await js.publish(QUIET_SUBJECT, line(message))
            await consumer.start()

            async def settled() -> bool:
                return len(written) == 20 and len(rejected) == 2

            await wait_until(settled)
            await consumer.close()
        assert sorted(written) == sorted(messages)
        assert sorted(r.reason for r in rejected) == [
            "refuse a is not in the inventory",
            "refuse b is not in the inventory",
        ]


class TestEmptyFetch:
    async def test_logs_nothing_at_error(self, broker: NatsBroker) -> None:
        js = broker.config.connection_state.stream
        async with new_messages_durable(js, QUIET_SUBJECT) as durable:
            consumer = BatchConsumer(
                broker, QUIET_SUBJECT, durable, "test", parsed_as(LogEmitted), _never_called
            )
            with structlog.testing.capture_logs() as logs:
                await consumer.start()
                await asyncio.sleep(3)  # three empty fetches of a second each
                await consumer.close()
        assert [e for e in logs if e["log_level"] in ("error", "critical", "exception")] == []


class TestReadiness:
    async def test_health_is_503_with_the_reason_once_the_loop_stops(
        self, broker: NatsBroker
    ) -> None:
        js = broker.config.connection_state.stream
        async with new_messages_durable(js, QUIET_SUBJECT) as durable:
            consumer = BatchConsumer(
                broker, QUIET_SUBJECT, durable, "test", parsed_as(LogEmitted), _never_called
            )
            app = build_service_app(broker, readiness=[consumer.not_ready_reason])
            async with AsyncClient(
                transport=ASGITransport(app=app), base_url="http://service.test"
            ) as client:
                await consumer.start()
                await asyncio.sleep(0.2)
                ready = await client.get("/health")
                await consumer.close()
                stopped = await client.get("/health")
        assert (ready.status_code, ready.json()) == (200, {"status": "ok"})
        assert stopped.status_code == 503
        assert stopped.json() == {
            "status": "not ready",
            "reasons": [f"consumer {durable} is stopped"],
        }


async def _never_called(items: list) -> None:
    raise AssertionError(f"nothing was published, yet {len(items)} items came")
