"""The throttle's state machine on the real KV bucket: one message per failure streak, one
recovery, one stale notice per episode; of two racing replicas one sends a streak's first
failure, and both see the same streak (hence one recovery id) when it ends."""

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
        streak = await throttle.streak(device)
        assert streak is not None
        assert (streak.failures, streak.since) == (3, since)
        assert await throttle.streak(device) == streak, "read again after a crash: the same streak"
        await throttle.end_streak(device, streak)
        assert await throttle.streak(device) is None
        assert await throttle.failed(device, uuid.uuid4(), utc_now()), "a new streak starts"

    async def test_ending_an_old_streak_leaves_a_newer_one(self, throttle: Throttle) -> None:
        device = uuid.uuid4()
        await throttle.failed(device, uuid.uuid4(), utc_now())
        old = await throttle.streak(device)
        assert old is not None
        await throttle.end_streak(device, old)
        await throttle.failed(device, uuid.uuid4(), utc_now())
        await throttle.end_streak(device, old)
        newer = await throttle.streak(device)
        assert newer is not None and newer.first_event_id != old.first_event_id

    async def test_a_device_that_was_not_failing_recovers_from_nothing(
        self, throttle: Throttle
    ) -> None:
        assert await throttle.streak(uuid.uuid4()) is None

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
        streaks = await asyncio.gather(throttle.streak(device), other.streak(device))
        assert {(s.first_event_id, s.failures) for s in streaks if s is not None} == {
            (streaks[0].first_event_id, 10)
        }, "both replicas end the same streak: one recovery id"
        await asyncio.gather(*(r.end_streak(device, streaks[0]) for r in (throttle, other)))
        assert await throttle.streak(device) is None


class TestStaleEpisodes:
    async def test_one_notice_per_episode(self, throttle: Throttle) -> None:
        device = uuid.uuid4()
        assert not await throttle.is_stale(device)
        await throttle.mark_stale(device)
        await throttle.mark_stale(device)
        assert await throttle.is_stale(device)
        await throttle.clear_stale(device)
        assert not await throttle.is_stale(device), "the next episode is notified again"
