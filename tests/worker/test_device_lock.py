"""The per-device lock on the real NATS KV: compare-and-set, refresh, release, and expiry of a lock
a dead worker left behind."""

import asyncio
import uuid

from faststream.nats import NatsBroker
from nats.js.api import KeyValueConfig
from netraven_worker.guard import DeviceLocks


async def fresh_bucket(broker: NatsBroker, ttl: float):
    js = broker.config.connection_state.stream
    return await js.create_key_value(
        KeyValueConfig(bucket=f"test-locks-{uuid.uuid4().hex[:8]}", ttl=ttl)
    )


class TestDeviceLocks:
    async def test_only_one_of_two_workers_gets_a_device(self, broker: NatsBroker) -> None:
        bucket = await fresh_bucket(broker, ttl=60)
        first, second = DeviceLocks(bucket, "worker-a"), DeviceLocks(bucket, "worker-b")
        device, run = uuid.uuid4(), uuid.uuid4()
        results = await asyncio.gather(
            *(locks.acquire(device, run) for locks in (first, second, first, second))
        )
        assert sum(lock is not None for lock in results) == 1
        holder = "worker-a" if results[0] or results[2] else "worker-b"
        assert await second.holder(device) == holder

    async def test_a_released_lock_can_be_taken_again(self, broker: NatsBroker) -> None:
        bucket = await fresh_bucket(broker, ttl=60)
        locks = DeviceLocks(bucket, "worker-a")
        device = uuid.uuid4()
        lock = await locks.acquire(device, uuid.uuid4())
        await lock.release()
        assert await locks.acquire(device, uuid.uuid4()) is not None

    async def test_other_devices_are_not_blocked(self, broker: NatsBroker) -> None:
        locks = DeviceLocks(await fresh_bucket(broker, ttl=60), "worker-a")
        assert await locks.acquire(uuid.uuid4(), uuid.uuid4()) is not None
        assert await locks.acquire(uuid.uuid4(), uuid.uuid4()) is not None

    async def test_a_dead_workers_lock_expires_and_a_refreshed_one_does_not(
        self, broker: NatsBroker
    ) -> None:
        # A TTL of 3 s refreshed every 0.5 s: only a stall of 2.5 s (a loaded CI machine stalled
        # 1 s) loses the live lock; 8 refreshes outlast the dead one's TTL.
        bucket = await fresh_bucket(broker, ttl=3)
        dead, alive, other = (
            DeviceLocks(bucket, "dead"),
            DeviceLocks(bucket, "alive"),
            DeviceLocks(bucket, "other"),
        )
        abandoned, kept = uuid.uuid4(), uuid.uuid4()
        assert await dead.acquire(abandoned, uuid.uuid4()) is not None
        lock = await alive.acquire(kept, uuid.uuid4())
        for _ in range(8):
            await asyncio.sleep(0.5)
            assert await lock.refresh()
        assert await other.acquire(abandoned, uuid.uuid4()) is not None, (
            "the dead worker's lock should have expired"
        )
        assert await other.acquire(kept, uuid.uuid4()) is None, "a refreshed lock must stay held"

    async def test_a_lock_taken_over_after_expiry_is_reported_lost_and_not_released(
        self, broker: NatsBroker
    ) -> None:
        bucket = await fresh_bucket(broker, ttl=1)
        slow, successor = DeviceLocks(bucket, "slow"), DeviceLocks(bucket, "successor")
        device = uuid.uuid4()
        stale = await slow.acquire(device, uuid.uuid4())
        await asyncio.sleep(1.6)
        assert await successor.acquire(device, uuid.uuid4()) is not None
        assert not await stale.refresh()
        await stale.release()
        assert await successor.holder(device) == "successor"
