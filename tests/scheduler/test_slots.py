from datetime import UTC, datetime, timedelta
from uuid import uuid4

from netraven_scheduler.slots import current_slot, slot_run_id

ANCHOR = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class TestCurrentSlot:
    def test_a_new_job_is_in_slot_zero_so_it_fires_at_once(self) -> None:
        assert current_slot(ANCHOR, 3600, ANCHOR) == 0

    def test_the_slot_advances_once_per_interval(self) -> None:
        assert current_slot(ANCHOR, 3600, ANCHOR + timedelta(minutes=59)) == 0
        assert current_slot(ANCHOR, 3600, ANCHOR + timedelta(minutes=60)) == 1

    def test_after_downtime_only_the_current_slot_is_due(self) -> None:
        assert current_slot(ANCHOR, 3600, ANCHOR + timedelta(hours=10, minutes=5)) == 10

    def test_a_clock_before_the_anchor_is_slot_zero(self) -> None:
        assert current_slot(ANCHOR, 60, ANCHOR - timedelta(seconds=5)) == 0


class TestSlotRunId:
    def test_is_the_same_for_every_replica(self) -> None:
        job = uuid4()
        assert slot_run_id(job, 3) == slot_run_id(job, 3)

    def test_differs_per_slot_and_per_job(self) -> None:
        job = uuid4()
        assert slot_run_id(job, 3) != slot_run_id(job, 4)
        assert slot_run_id(job, 3) != slot_run_id(uuid4(), 3)
