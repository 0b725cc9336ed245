"""FastStream subscribers (the worker's, for one) terminate and record a message they cannot or must
not act on, and still act on the next one."""

import asyncio
import uuid

import pytest
from faststream.middlewares import AckPolicy
from faststream.nats import PullSub
from netraven_shared.bus_identities import TEST_IDENTITY
from netraven_shared.events import LogEmitted
from netraven_shared.messaging import (
    build_broker,
    consumer_config,
    declare_streams,
    stream_of,
    stream_ref,
)
from netraven_shared.rejected_events import service_of
from netraven_shared.rejection import Rejected
from netraven_shared.settings import NetRavenSettings

from tests.fixtures.consumers import rejections_on, wait_until
from tests.fixtures.infra import Infra


@pytest.fixture
async def subscribed(infra: Infra):
    """A subscriber, as the worker declares its own, on a subject of its own; yields what it
    handled."""
    subject = f"netraven.bus.test-policy-{uuid.uuid4().hex[:8]}"
    durable = f"test-{uuid.uuid4().hex[:8]}"
    broker = build_broker(NetRavenSettings(**infra.nats_settings()), TEST_IDENTITY, "policy-test")
    handled: list[str] = []

    @broker.subscriber(
        subject,
        stream=stream_ref(subject),
        durable=durable,
        pull_sub=PullSub(batch_size=1, timeout=1),
        config=consumer_config(ack_wait_seconds=30),
        ack_policy=AckPolicy.REJECT_ON_ERROR,
    )
    async def handle(event: LogEmitted) -> None:
        if event.message == "refuse me":
            raise Rejected("refused on purpose: no such device")
        handled.append(event.message)

    await declare_streams(broker)
    await broker.start()
    yield broker, subject, handled
    await broker.config.connection_state.stream.delete_consumer(stream_of(subject), durable)
    await broker.stop()


def line(message: str) -> bytes:
    return (
        LogEmitted(level="info", log_type="system", message=message, source="test")
        .model_dump_json()
        .encode()
    )


class TestRejectedAndInvalid:
    async def test_are_terminated_and_recorded_and_the_next_message_is_handled(
        self, subscribed, infra: Infra
    ) -> None:
        broker, subject, handled = subscribed
        js = broker.config.connection_state.stream
        async with rejections_on(infra, subject) as rejected:
            for data in (b"{not json", line("refuse me"), line("fine")):
                await js.publish(subject, data)

            async def settled() -> bool:
                info = await js.consumers_info(stream_of(subject))
                mine = [c for c in info if c.config.filter_subject == subject]
                return handled == ["fine"] and len(rejected) == 2 and mine[0].num_ack_pending == 0

            await wait_until(settled)
            await asyncio.sleep(1)
        mine = next(
            c
            for c in await js.consumers_info(stream_of(subject))
            if c.config.filter_subject == subject
        )
        assert mine.num_redelivered == 0
        assert sorted(r.reason.split(":")[0] for r in rejected) == [
            "invalid payload",
            "refused on purpose",
        ]
        assert {r.service for r in rejected} == {"policy-test"}


class TestRejectingService:
    async def test_is_the_identity_of_a_service_and_the_client_name_of_a_test(
        self, infra: Infra
    ) -> None:
        worker = build_broker(
            NetRavenSettings(**infra.nats_settings("worker")), "worker", "worker-host-4711"
        )
        tests = build_broker(
            NetRavenSettings(**infra.nats_settings()), TEST_IDENTITY, "policy-test"
        )
        await worker.connect()
        await tests.connect()
        try:
            assert (service_of(worker), service_of(tests)) == ("worker", "policy-test")
        finally:
            await worker.stop()
            await tests.stop()
