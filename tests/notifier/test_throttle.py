"""The throttle's state machine on the real KV bucket: one message per failure streak, one
recovery, one stale notice per episode, and only one of two racing replicas wins each."""

import asyncio
import uuid
from datetime import timedelta

from netraven_notifier.throttle import Throttle
from netraven_shared.db.base import utc_now


class TestFailureStreaks:
    async def test_only_the_first_failure_of_a_streak_is_sent(self, throttle: Throttle) -> None:
        device = uuid.uuid4()
        start = utc_now()
        sent = [
            await throttle.failed(device, uuid.uuid4(), start + timedelta(minutes=n))
            for n in range(4)
        ]
        assert sent == [True, False, False, False]

    async def test_the_first_failure_delivered_again_is_still_the_first(
        self, throttle: Throttle
    ) -> None:
        device, first = uuid.uuid4(), uuid.uuid4()
        assert await throttle.failed(device, first, utc_now())
        assert not await throttle.failed(device, uuid.uuid4(), utc_now())
        assert await throttle.failed(device, first, utc_now())

    async def test_the_next_good_backup_ends_the_streak_once_with_its_count(
        self, throttle: Throttle
    ) -> None:
        device = uuid.uuid4()
        since = utc_now()
        for _ in range(3):
            await throttle.failed(device, uuid.uuid4(), since)
        streak = await throttle.backed_up(device)
        assert streak is not None
        assert (streak.failures, streak.since) == (3, since)
        assert await throttle.backed_up(device) is None
        assert await throttle.failed(device, uuid.uuid4(), utc_now()), "a new streak starts"

    async def test_a_device_that_was_not_failing_recovers_from_nothing(
        self, throttle: Throttle
    ) -> None:
        assert await throttle.backed_up(uuid.uuid4()) is None

    async def test_of_two_replicas_one_sends_the_first_failure_and_one_the_recovery(
        self, throttle: Throttle, broker
    ) -> None:
        from netraven_notifier.app import throttle_bucket

        other = throttle_bucket(broker)
        device = uuid.uuid4()
        firsts = await asyncio.gather(
            *(replica.failed(device, uuid.uuid4(), utc_now()) for replica in (throttle, other) * 5)
        )
        assert sum(firsts) == 1
        recoveries = await asyncio.gather(throttle.backed_up(device), other.backed_up(device))
        assert [r.failures for r in recoveries if r is not None] == [10]


class TestStaleEpisodes:
    async def test_one_notice_per_episode(self, throttle: Throttle) -> None:
        device = uuid.uuid4()
        assert await throttle.mark_stale(device)
        assert not await throttle.mark_stale(device)
        await throttle.clear_stale(device)
        assert await throttle.mark_stale(device), "the next episode is notified again"
