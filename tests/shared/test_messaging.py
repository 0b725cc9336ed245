"""Publishing a batch of events at once (`publish_events`, `OperatorLog.emit_lines`) on the real
NATS JetStream: every event stored once under its dedup id, a refusal or a missing ack raised, a
batch's log lines in one message."""

import asyncio
from urllib.parse import urlsplit
from uuid import uuid4

import pytest
from faststream.nats import NatsBroker
from nats.errors import ConnectionReconnectingError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.errors import APIError, NoStreamResponseError
from netraven_shared.bus_identities import TEST_IDENTITY
from netraven_shared.events import LogEmitted, LogLinesEmitted, subjects
from netraven_shared.messaging import build_broker, publish_events, stream_of
from netraven_shared.operator_log import OperatorLog
from netraven_shared.outage import is_outage
from netraven_shared.settings import NetRavenSettings
from structlog.testing import capture_logs

from tests.fixtures.consumers import new_messages_durable
from tests.fixtures.infra import Infra
from tests.fixtures.tcp_proxy import TcpProxy

LINES = 25


def lines_of(source: str, count: int = LINES) -> list[LogEmitted]:
    return [
        LogEmitted(level="info", log_type="system", message=f"line {n}", source=source)
        for n in range(count)
    ]


async def stored_ids(broker: NatsBroker, durable: str, source: str) -> list[str]:
    """The `Nats-Msg-Id` of every line of `source` the durable has, in stream order."""
    js = broker.config.connection_state.stream
    pull = await js.pull_subscribe(
        subjects.LOG_EMITTED, durable=durable, stream=stream_of(subjects.LOG_EMITTED)
    )
    ids: list[str] = []
    try:
        while True:
            for message in await pull.fetch(100, timeout=1):
                await message.ack()
                if LogEmitted.model_validate_json(message.data).source == source:
                    ids.append(message.headers["Nats-Msg-Id"])
    except TimeoutError:  # nothing more to fetch
        return ids
    finally:
        await pull.unsubscribe()


async def batches_stored(broker: NatsBroker, durable: str, source: str) -> list[LogLinesEmitted]:
    """Every batch of lines of `source` the durable has, in stream order."""
    js = broker.config.connection_state.stream
    subject = subjects.LOG_LINES_EMITTED
    pull = await js.pull_subscribe(subject, durable=durable, stream=stream_of(subject))
    batches: list[LogLinesEmitted] = []
    try:
        while True:
            for message in await pull.fetch(100, timeout=1):
                await message.ack()
                batch = LogLinesEmitted.model_validate_json(message.data)
                if batch.lines[0].source == source:
                    assert message.headers["Nats-Msg-Id"] == str(batch.event_id)
                    batches.append(batch)
    except TimeoutError:  # nothing more to fetch
        return batches
    finally:
        await pull.unsubscribe()


class TestPublishEvents:
    async def test_every_event_is_stored_in_order_and_a_batch_sent_again_is_stored_once(
        self, broker: NatsBroker
    ) -> None:
        source = f"test-{uuid4().hex[:8]}"
        lines = lines_of(source)
        js = broker.config.connection_state.stream
        async with new_messages_durable(js, subjects.LOG_EMITTED) as durable:
            await publish_events(broker, lines)
            await publish_events(broker, lines)
            await publish_events(broker, lines[:1])
            assert await stored_ids(broker, durable, source) == [
                str(line.event_id) for line in lines
            ]

    async def test_an_event_the_stream_refuses_raises_and_the_rest_is_stored(
        self, broker: NatsBroker
    ) -> None:
        source = f"test-{uuid4().hex[:8]}"
        lines = lines_of(source, 3)
        # model_copy does not validate: a line over the stream's 64 KiB message limit
        oversized = lines[1].model_copy(update={"message": "x" * 70_000})
        js = broker.config.connection_state.stream
        async with new_messages_durable(js, subjects.LOG_EMITTED) as durable:
            with pytest.raises(APIError, match="maximum"):
                await publish_events(broker, [lines[0], oversized, lines[2]])
            assert await stored_ids(broker, durable, source) == [
                str(lines[0].event_id),
                str(lines[2].event_id),
            ]

    async def test_acks_missing_at_the_deadline_are_an_outage(self, broker: NatsBroker) -> None:
        with pytest.raises(NatsTimeout) as raised:
            await publish_events(broker, lines_of(f"test-{uuid4().hex[:8]}"), timeout=0)
        assert is_outage(raised.value)

    async def test_a_publish_no_stream_answers_is_an_outage(self, broker: NatsBroker) -> None:
        """What a cluster's stream answers while it elects its new leader; here no stream holds
        the subject at all."""
        js = broker.config.connection_state.stream
        with pytest.raises(NoStreamResponseError) as raised:
            await js.publish(f"tests.no-stream.{uuid4().hex[:8]}", b"{}")
        assert is_outage(raised.value)

    async def test_a_batch_outgrowing_the_buffer_while_reconnecting_is_an_outage(
        self, infra: Infra
    ) -> None:
        url = urlsplit(infra.nats_url)
        proxy = TcpProxy(str(url.hostname), int(url.port or 4222))
        await proxy.start()
        through_proxy = infra.nats_settings() | {
            "nats_url": f"{url.scheme}://127.0.0.1:{proxy.port}"
        }
        cut = build_broker(NetRavenSettings(**through_proxy), TEST_IDENTITY, "test-cut")
        await cut.connect()
        client = cut.config.connection_state.connection
        try:
            await proxy.stop()
            async with asyncio.timeout(10):
                while client.is_connected:
                    await asyncio.sleep(0.05)
            # 4000-character lines, more than the client's 2 MiB reconnect buffer in all
            lines = [
                line.model_copy(update={"message": "x" * 4000}) for line in lines_of("test", 600)
            ]
            with pytest.raises(ConnectionReconnectingError) as raised:
                await publish_events(cut, lines)
            assert is_outage(raised.value)
        finally:
            await proxy.start()  # back, so the connection can be drained and closed
            async with asyncio.timeout(20):
                while not client.is_connected:
                    await asyncio.sleep(0.05)
            await cut.stop()
            await proxy.stop()


async def log_of_a_stopped_broker(infra: Infra) -> OperatorLog:
    """An operator log whose broker connected once and is now stopped: every publish fails."""
    stopped = build_broker(NetRavenSettings(**infra.nats_settings()), TEST_IDENTITY, "test-stopped")
    await stopped.connect()
    await stopped.stop()
    return OperatorLog(stopped, "test")


class TestEmitLines:
    async def test_lines_are_published_together_in_one_message(self, broker: NatsBroker) -> None:
        source = f"test-{uuid4().hex[:8]}"
        oplog = OperatorLog(broker, source)
        lines = [
            oplog.line("info", "config", f"r{n}: stored", event_id=uuid4(), commit="a" * 40)
            for n in range(LINES)
        ]
        js = broker.config.connection_state.stream
        async with (
            new_messages_durable(js, subjects.LOG_LINES_EMITTED) as batches,
            new_messages_durable(js, subjects.LOG_EMITTED) as singles,
        ):
            await oplog.emit_lines(lines)
            await oplog.emit_lines(lines[:1])
            [batch] = await batches_stored(broker, batches, source)
            assert [line.event_id for line in batch.lines] == [line.event_id for line in lines]
            assert await stored_ids(broker, singles, source) == [str(lines[0].event_id)]

    async def test_a_failure_is_logged_never_raised(self, infra: Infra) -> None:
        oplog = await log_of_a_stopped_broker(infra)
        with capture_logs() as logs:
            await oplog.emit_lines(lines_of("test"))
        assert [entry["event"] for entry in logs] == ["operator_log.publish_failed"]


class TestEmit:
    async def test_lines_emitted_in_the_same_turn_travel_in_one_message(
        self, broker: NatsBroker
    ) -> None:
        source = f"test-{uuid4().hex[:8]}"
        oplog = OperatorLog(broker, source)
        js = broker.config.connection_state.stream
        async with (
            new_messages_durable(js, subjects.LOG_LINES_EMITTED) as batches,
            new_messages_durable(js, subjects.LOG_EMITTED) as singles,
        ):
            await asyncio.gather(
                *(oplog.emit("info", "job", f"r{n}: config collected") for n in range(LINES))
            )
            await oplog.emit("info", "job", "alone")
            [batch] = await batches_stored(broker, batches, source)
            assert [line.message for line in batch.lines] == [
                f"r{n}: config collected" for n in range(LINES)
            ]
            assert len(await stored_ids(broker, singles, source)) == 1

    async def test_a_failure_is_logged_for_each_line_never_raised(self, infra: Infra) -> None:
        oplog = await log_of_a_stopped_broker(infra)
        with capture_logs() as logs:
            await asyncio.gather(oplog.emit("info", "job", "one"), oplog.emit("info", "job", "two"))
        assert [entry["event"] for entry in logs] == ["operator_log.publish_failed"] * 2
