"""The worker pulls dispatches through nats-py: never more than its free session slots, each worked
as it arrives, settled by `Dispatches` as FastStream's failure policy would (ack, nak, terminate and
record), and nothing pulled once stopped.

The `workers` durable is the real one on the suite's NATS: dispatches other tests left there are
handed back untouched (`foreign`), and each test marks its own with a header."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from faststream.nats import NatsBroker
from httpx import AsyncClient
from nats.aio.msg import Msg
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.events import JobDispatched, subjects
from netraven_worker.backup import BackupService
from netraven_worker.config import WorkerSettings
from netraven_worker.handlers import Dispatches
from netraven_worker.in_flight import DispatchPull, InFlight
from netraven_worker.reachability import ReachabilityService
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.api import CIPHER
from tests.fixtures.factories import create_device, create_job
from tests.worker.bus_capture import captured
from tests.worker.trust import engine_of

MARK = "Netraven-Test-Mark"
FOREIGN_RETRY_SECONDS = 30.0


CATALOG = DriverCatalog.load()


async def send(broker: NatsBroker, mark: str, payload: bytes) -> None:
    js = broker.config.connection_state.stream
    await js.publish(subjects.JOB_DISPATCHED, payload, headers={MARK: mark}, timeout=5)


def dispatch(device_id: uuid.UUID | None = None, run_id: uuid.UUID | None = None) -> bytes:
    return (
        JobDispatched(
            run_id=run_id or uuid.uuid4(), device_id=device_id or uuid.uuid4(), trigger="manual"
        )
        .model_dump_json()
        .encode()
    )


@asynccontextmanager
async def pulling(
    broker: NatsBroker, mark: str, work: Callable[[Msg], Awaitable[None]], sessions: int = 2
) -> AsyncIterator[InFlight]:
    """A running `DispatchPull` whose marked messages go to `work`."""
    in_flight = InFlight(keep_alive_seconds=1)

    async def own_or_foreign(message: Msg) -> None:
        if (message.headers or {}).get(MARK) != mark:
            await message.nak(delay=FOREIGN_RETRY_SECONDS)
            return
        await work(message)

    settings = WorkerSettings(concurrency=sessions, ack_wait_seconds=30)
    pull = DispatchPull(broker, settings, in_flight, own_or_foreign)
    await pull.start()
    try:
        yield in_flight
    finally:
        await pull.stop()


async def eventually(condition: Callable[[], bool], seconds: float = 15) -> None:
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.05)


class TestDispatchPull:
    async def test_holds_no_more_than_its_free_session_slots(self, broker: NatsBroker) -> None:
        mark, worked, peak = str(uuid.uuid4()), [], [0]
        in_flight_of: list[InFlight] = []

        async def work(message: Msg) -> None:
            peak[0] = max(peak[0], in_flight_of[0].count)
            await asyncio.sleep(0.05)
            worked.append(message.data)
            await message.ack()

        async with pulling(broker, mark, work, sessions=3) as in_flight:
            in_flight_of.append(in_flight)
            for _ in range(12):
                await send(broker, mark, dispatch())
            await eventually(lambda: len(worked) == 12)
        assert peak[0] == 3, "three slots: three dispatches at a time, no more"

    async def test_a_stopped_pull_leaves_new_dispatches_for_the_next_worker(
        self, broker: NatsBroker
    ) -> None:
        mark, worked = str(uuid.uuid4()), []

        async def work(message: Msg) -> None:
            worked.append(message.data)
            await message.ack()

        async with pulling(broker, mark, work):
            pass
        await send(broker, mark, dispatch())
        await asyncio.sleep(1)
        assert worked == []
        async with pulling(broker, mark, work):
            await eventually(lambda: len(worked) == 1)


class TestDispatches:
    @staticmethod
    def dispatches(broker: NatsBroker, sessions: async_sessionmaker[AsyncSession]) -> Dispatches:
        engine, settings = engine_of(sessions), WorkerSettings()
        return Dispatches(
            broker,
            BackupService(engine, broker, CIPHER, settings, CATALOG),
            ReachabilityService(engine, broker, settings),
        )

    @staticmethod
    def counted(dispatches: Dispatches, handled: list[int]) -> Callable[[Msg], Awaitable[None]]:
        """`dispatches.handle`, noting each message's delivery number in `handled`."""

        async def work(message: Msg) -> None:
            handled.append(message.metadata.num_delivered)
            await dispatches.handle(message)

        return work

    async def test_a_malformed_dispatch_is_terminated_and_recorded_once(
        self, broker: NatsBroker, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        mark, handled = str(uuid.uuid4()), []
        dispatches = self.dispatches(broker, sessions)

        async with (
            captured(broker, subjects.EVENT_REJECTED) as rejected,
            pulling(broker, mark, self.counted(dispatches, handled)),
        ):
            await send(broker, mark, b"not json at all")
            await eventually(lambda: len(rejected) == 1)
            await asyncio.sleep(2)  # a nak would deliver it again at once (2 s delay at most)
        assert handled == [1]
        assert rejected[0]["rejected_subject"] == subjects.JOB_DISPATCHED
        assert rejected[0]["reason"] == "invalid payload: not a JSON object"
        assert rejected[0]["service"] == "test"

    async def test_a_dispatch_for_an_unknown_device_is_rejected(
        self, broker: NatsBroker, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        mark, stranger = str(uuid.uuid4()), uuid.uuid4()
        dispatches = self.dispatches(broker, sessions)
        async with (
            captured(broker, subjects.EVENT_REJECTED) as rejected,
            pulling(broker, mark, dispatches.handle),
        ):
            await send(broker, mark, dispatch(device_id=stranger))
            await eventually(lambda: len(rejected) == 1)
        assert rejected[0]["reason"] == f"device {stranger} is not in the inventory"

    async def test_a_settled_dispatch_is_acked(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        device = await create_device(admin, 9, "pull-settled")
        job = await create_job(admin, [device["id"]])
        run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        assert (await admin.post(f"/api/runs/{run_id}/cancel")).status_code == 200
        mark, handled = str(uuid.uuid4()), []
        dispatches = self.dispatches(broker, sessions)

        async with (
            captured(broker, subjects.EVENT_REJECTED) as rejected,
            pulling(broker, mark, self.counted(dispatches, handled)),
        ):
            await send(broker, mark, dispatch(uuid.UUID(device["id"]), uuid.UUID(run_id)))
            await eventually(lambda: handled == [1])
            await asyncio.sleep(3)  # a failure's nak would deliver it again within 2 s
        assert handled == [1] and rejected == []
