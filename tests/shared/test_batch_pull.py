"""`BatchPull` on real NATS: its own pull requests bring a burst in one batch and never more than
`max_batch` unacked, a window tops a batch up (and closes when the consumer stops), what a request
delivers after its batch was collected is named as a straggler and taken first, an unacked message
comes back, and neither a quiet stream, a deleted consumer nor a closed connection makes it pull in
a hot loop."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import structlog
from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from netraven_shared import batch_pull
from netraven_shared.batch_pull import BatchPull
from netraven_shared.bus_identities import TEST_IDENTITY
from netraven_shared.messaging import build_broker, stream_of
from netraven_shared.settings import NetRavenSettings

from tests.fixtures.consumers import new_messages_durable, wait_until
from tests.fixtures.infra import Infra

SUBJECT = "netraven.bus.test-pull"
STREAM = stream_of(SUBJECT)


@asynccontextmanager
async def opened(pull: BatchPull) -> AsyncIterator[BatchPull]:
    await pull.open()
    try:
        yield pull
    finally:
        pull.stop()
        await pull.close()


@asynccontextmanager
async def requests_counted(broker: NatsBroker, durable: str) -> AsyncIterator[list[bytes]]:
    """Every pull request sent to `durable` while inside."""
    nats = broker.config.connection_state.connection
    js: JetStreamContext = broker.config.connection_state.stream
    sent: list[bytes] = []

    async def counted(message) -> None:
        sent.append(message.data)

    subscription = await nats.subscribe(
        f"{js._prefix}.CONSUMER.MSG.NEXT.{STREAM}.{durable}", cb=counted
    )
    try:
        yield sent
    finally:
        await subscription.unsubscribe()


async def publish(js: JetStreamContext, count: int, tag: str = "m") -> None:
    for n in range(count):
        await js.publish(SUBJECT, f"{tag} {n}".encode())


class TestABurst:
    async def test_fills_the_batch_and_no_more_than_max_batch_is_delivered(
        self, broker: NatsBroker
    ) -> None:
        js = broker.config.connection_state.stream
        async with new_messages_durable(js, SUBJECT) as durable:
            await publish(js, 25)
            async with opened(BatchPull(js, STREAM, durable, 10, 0.5)) as pull:
                batch = await pull.collect()
                await asyncio.sleep(0.5)
                held = await js.consumer_info(STREAM, durable)
                for message in batch:
                    await message.ack()
                second = await pull.collect()
        assert [m.data for m in batch] == [f"m {n}".encode() for n in range(10)]
        assert (held.num_ack_pending, pull.stragglers()) == (10, [])
        assert [m.data for m in second] == [f"m {n}".encode() for n in range(10, 20)]


class TestTheWindow:
    async def test_tops_the_batch_up_with_what_arrives_before_it_closes(
        self, broker: NatsBroker
    ) -> None:
        js = broker.config.connection_state.stream
        async with (
            new_messages_durable(js, SUBJECT) as durable,
            opened(BatchPull(js, STREAM, durable, 50, 1.5)) as pull,
        ):
            await publish(js, 1, "first")
            collecting = asyncio.create_task(pull.collect())
            await asyncio.sleep(0.5)
            await publish(js, 3, "late")
            batch = await collecting
        assert [m.data for m in batch] == [b"first 0", b"late 0", b"late 1", b"late 2"]

    async def test_closes_at_once_when_the_consumer_stops(self, broker: NatsBroker) -> None:
        js = broker.config.connection_state.stream
        async with (
            new_messages_durable(js, SUBJECT) as durable,
            opened(BatchPull(js, STREAM, durable, 50, 5.0)) as pull,
        ):
            await publish(js, 1)
            collecting = asyncio.create_task(pull.collect())
            await asyncio.sleep(0.5)
            started = time.monotonic()
            pull.stop()
            batch = await collecting
            took = time.monotonic() - started
        assert [m.data for m in batch] == [b"m 0"] and took < 0.5


class TestStragglers:
    async def test_are_named_and_taken_first_without_a_new_request(
        self, broker: NatsBroker, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        js = broker.config.connection_state.stream
        monkeypatch.setattr(batch_pull, "FETCH_SECONDS", 30.0)
        async with (
            new_messages_durable(js, SUBJECT) as durable,
            requests_counted(broker, durable) as sent,
            opened(BatchPull(js, STREAM, durable, 10, 0.0)) as pull,
        ):
            await publish(js, 1, "first")
            first = await pull.collect()
            await publish(js, 3, "straggler")

            async def three_arrived() -> bool:
                return len(pull.stragglers()) == 3

            await wait_until(three_arrived, timeout=10)
            named = [m.data for m in pull.stragglers()]
            second = await pull.collect()
        assert [m.data for m in first] == [b"first 0"]
        assert named == [m.data for m in second] == [f"straggler {n}".encode() for n in range(3)]
        assert len(sent) == 1


class TestAnUnackedMessage:
    async def test_comes_back_after_the_ack_wait(self, broker: NatsBroker) -> None:
        js = broker.config.connection_state.stream
        async with new_messages_durable(js, SUBJECT, ack_wait=1) as durable:
            await publish(js, 1)
            async with opened(BatchPull(js, STREAM, durable, 10, 0.0)) as pull:
                first = await pull.collect()
                await asyncio.sleep(1.2)
                again = await pull.collect()
                await again[0].ack()
        assert [m.data for m in again] == [m.data for m in first] == [b"m 0"]
        assert again[0].metadata.num_delivered == 2


class TestNoHotLoop:
    async def test_on_a_quiet_stream_an_empty_pull_ends_after_its_expiry(
        self, broker: NatsBroker
    ) -> None:
        js = broker.config.connection_state.stream
        async with (
            new_messages_durable(js, SUBJECT) as durable,
            requests_counted(broker, durable) as sent,
            opened(BatchPull(js, STREAM, durable, 10, 0.0)) as pull,
        ):
            with structlog.testing.capture_logs() as logs:
                started = time.monotonic()
                batches = [await pull.collect() for _ in range(3)]
                took = time.monotonic() - started
        assert batches == [[], [], []]
        assert 2.5 < took < 5 and 3 <= len(sent) <= 4
        assert logs == []

    async def test_on_a_deleted_consumer(self, broker: NatsBroker) -> None:
        js = broker.config.connection_state.stream
        async with new_messages_durable(js, SUBJECT) as durable:
            pull = BatchPull(js, STREAM, durable, 10, 0.0)
            async with requests_counted(broker, durable) as sent, opened(pull):
                collecting = asyncio.create_task(pull.collect())
                await asyncio.sleep(0.3)
                await js.delete_consumer(STREAM, durable)
                started = time.monotonic()
                ended = await collecting
                took = time.monotonic() - started
                gone = [await pull.collect() for _ in range(3)]
            await js.add_consumer(STREAM, durable_name=durable)  # for the context to delete
        assert ended == [] and took < 0.5  # its 409 ended the request
        assert gone == [[], [], []] and len(sent) <= 4

    async def test_on_a_closed_connection_and_the_failure_is_logged_once(
        self, infra: Infra
    ) -> None:
        closing = build_broker(NetRavenSettings(**infra.nats_settings()), TEST_IDENTITY, "test")
        await closing.connect()
        js = closing.config.connection_state.stream
        pull = BatchPull(js, STREAM, "never-pulled", 10, 0.0)
        await pull.open()
        await closing.stop()
        with structlog.testing.capture_logs() as logs:
            started = time.monotonic()
            batches = [await pull.collect() for _ in range(3)]
            took = time.monotonic() - started
        assert batches == [[], [], []] and took >= 2 * batch_pull.PAUSE_SECONDS
        assert [(e["event"], e["log_level"]) for e in logs] == [
            ("batch_consumer.fetch_failed", "warning")
        ]
