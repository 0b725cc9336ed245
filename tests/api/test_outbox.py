"""A run and its dispatches are one transaction; the outbox relay publishes them to JetStream, and
keeps them through a NATS outage instead of losing them."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from uuid import UUID

import pytest
from httpx import AsyncClient
from nats.js.api import ConsumerConfig
from netraven_api.jobs.service import run_now
from netraven_api.outbox_relay import OutboxRelay
from netraven_api.runs.launcher import dispatch_id
from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import free_port
from netraven_shared.bus_identities import TEST_IDENTITY
from netraven_shared.db.models import OutboxMessage, Run
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.events import JobDispatched, subjects
from netraven_shared.messaging import build_broker, declare_streams
from netraven_shared.outbox import enqueue
from netraven_shared.settings import NetRavenSettings
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.databases import fresh_database
from tests.fixtures.factories import create_device, create_job
from tests.fixtures.infra import Infra
from tests.worker.bus_capture import captured


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout} s")
        await asyncio.sleep(0.1)


async def outbox_rows(sessions: async_sessionmaker[AsyncSession], event_ids: set[UUID]) -> int:
    async with sessions() as session:
        return await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.event_id.in_(event_ids))
        )


class TestRunWithItsDispatches:
    async def test_a_rolled_back_run_leaves_no_dispatch_behind(
        self, admin: AsyncClient, sessions, api_app
    ) -> None:
        device = await create_device(admin, 3100, "outbox")
        job = await create_job(admin, [device["id"]])
        async with sessions() as session:
            run = await run_now(session, UUID(job["id"]), api_app.state.inventory_syncer)
            await session.rollback()
        async with sessions() as session:
            assert await session.get(Run, run.id) is None
        assert await outbox_rows(sessions, {dispatch_id(run.id, UUID(device["id"]), 1)}) == 0

    async def test_run_now_commits_one_dispatch_per_device_and_the_relay_publishes_them(
        self, admin: AsyncClient, sessions, broker
    ) -> None:
        devices = [await create_device(admin, 3200 + n, "outbox") for n in range(3)]
        job = await create_job(admin, [d["id"] for d in devices])
        async with captured(broker, subjects.JOB_DISPATCHED) as seen:
            run_id = UUID((await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"])
            expected = {str(dispatch_id(run_id, UUID(d["id"]), 1)) for d in devices}

            async def all_published() -> bool:
                return expected <= {m["event_id"] for m in seen}

            await eventually(all_published, timeout=5)
        mine = [JobDispatched.model_validate(m) for m in seen if m["event_id"] in expected]
        assert {(m.run_id, str(m.device_id), m.kind, m.trigger) for m in mine} == {
            (run_id, d["id"], "backup", "manual") for d in devices
        }
        await eventually(lambda: _none_left(sessions, {UUID(e) for e in expected}))


async def _none_left(sessions, event_ids: set[UUID]) -> bool:
    return await outbox_rows(sessions, event_ids) == 0


@pytest.fixture
async def own_nats(tmp_path: Path) -> AsyncIterator[EmbeddedNats]:
    server = EmbeddedNats(store_dir=tmp_path / "nats", port=free_port())
    await asyncio.to_thread(server.start)
    yield server
    await asyncio.to_thread(server.stop)


class TestRelaysSideBySide:
    async def test_two_api_replicas_publish_each_row_once(
        self, infra: Infra, own_nats: EmbeddedNats
    ) -> None:
        engine = create_engine(await fresh_database(infra, "netraven_outbox"), pool_size=4)
        sessions = session_factory(engine)
        brokers = [
            build_broker(
                NetRavenSettings(nats_url=own_nats.url), TEST_IDENTITY, f"outbox-replica-{n}"
            )
            for n in range(2)
        ]
        for broker in brokers:
            await declare_streams(broker)
        try:
            events = [
                JobDispatched(run_id=uuid.uuid4(), device_id=uuid.uuid4(), trigger="manual")
                for _ in range(300)
            ]
            async with sessions() as session:
                await enqueue(session, events)
                await session.commit()
            async with captured(brokers[0], subjects.JOB_DISPATCHED) as seen:
                replicas = [OutboxRelay(sessions, broker, batch_size=50) for broker in brokers]
                while await outbox_rows(sessions, {e.event_id for e in events}):
                    await asyncio.gather(*(replica.relay_once() for replica in replicas))
                await asyncio.sleep(0.5)
            published = [m["event_id"] for m in seen]
            assert sorted(published) == sorted(str(e.event_id) for e in events), (
                "every row published exactly once"
            )
        finally:
            for broker in brokers:
                await broker.stop()
            await engine.dispose()


class TestRelayThroughANatsOutage:
    async def test_rows_wait_while_nats_is_down_and_are_published_in_order_once_it_is_back(
        self, infra: Infra, own_nats: EmbeddedNats
    ) -> None:
        engine = create_engine(await fresh_database(infra, "netraven_outbox"), pool_size=2)
        sessions = session_factory(engine)
        broker = build_broker(NetRavenSettings(nats_url=own_nats.url), TEST_IDENTITY, "outbox-test")
        await declare_streams(broker)
        relay = OutboxRelay(sessions, broker, poll_seconds=0.2)
        relaying = asyncio.create_task(relay.run_forever())
        try:
            await asyncio.to_thread(own_nats.stop)
            events = [
                JobDispatched(run_id=uuid.uuid4(), device_id=uuid.uuid4(), trigger="manual")
                for _ in range(5)
            ]
            async with sessions() as session:
                await enqueue(session, events)
                await session.commit()
            relay.wake()
            await asyncio.sleep(3)
            assert await outbox_rows(sessions, {e.event_id for e in events}) == 5, (
                "nothing is lost while NATS is down"
            )

            await asyncio.to_thread(own_nats.start)
            await eventually(lambda: _none_left(sessions, {e.event_id for e in events}), timeout=45)
            js = broker.config.connection_state.stream
            consumer = await js.pull_subscribe(
                subjects.JOB_DISPATCHED,
                durable=None,
                stream="NETRAVEN_JOBS",
                config=ConsumerConfig(),
            )
            messages = await consumer.fetch(10, timeout=5)
            assert [m.headers["Nats-Msg-Id"] for m in messages] == [str(e.event_id) for e in events]
        finally:
            relaying.cancel()
            await broker.stop()
            await engine.dispose()
