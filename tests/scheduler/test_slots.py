from datetime import UTC, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from netraven_scheduler.slots import Plan, current_slot, due_slot, in_window, last_cron_fire
from netraven_shared.events.run_rpc import slot_run_id

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


class TestLastCronFire:
    def test_is_the_most_recent_fire_time_before_now(self) -> None:
        assert last_cron_fire("*/15 * * * *", "UTC", ANCHOR + timedelta(minutes=7)) == ANCHOR

    def test_a_fire_time_that_is_now_counts(self) -> None:
        assert last_cron_fire(
            "*/15 * * * *", "UTC", ANCHOR + timedelta(minutes=15, seconds=0.5)
        ) == ANCHOR + timedelta(minutes=15)

    def test_is_computed_in_the_job_timezone(self) -> None:
        # 02:00 in Berlin is 01:00 UTC in November (CET, UTC+1)
        now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        assert last_cron_fire("0 2 * * *", "Europe/Berlin", now) == datetime(
            2026, 11, 23, 1, 0, tzinfo=UTC
        )
        assert last_cron_fire("0 2 * * *", "UTC", now) == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

    def test_follows_summer_time(self) -> None:
        now = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
        assert last_cron_fire("0 2 * * *", "Europe/Berlin", now) == datetime(
            2026, 7, 1, 0, 0, tzinfo=UTC
        )

    def test_is_returned_in_utc(self) -> None:
        fire = last_cron_fire("0 * * * *", "Asia/Kolkata", ANCHOR)
        assert fire.utcoffset() == timedelta(0)
        assert fire.astimezone(ZoneInfo("Asia/Kolkata")).minute == 0


class TestInWindow:
    def test_no_window_is_always_open(self) -> None:
        assert in_window(None, None, ANCHOR)

    def test_start_is_inclusive_and_end_exclusive(self) -> None:
        end = ANCHOR + timedelta(hours=1)
        assert in_window(ANCHOR, end, ANCHOR)
        assert not in_window(ANCHOR, end, end)
        assert not in_window(ANCHOR, end, ANCHOR - timedelta(seconds=1))


def plan(schedule_type: str, **fields) -> Plan:
    return Plan(
        job_id=uuid4(),
        schedule_type=schedule_type,
        created_at=fields.pop("created_at", ANCHOR),
        **fields,
    )


class TestDueSlotCron:
    def test_a_new_cron_job_waits_for_its_next_fire_time(self) -> None:
        job = plan(
            "cron",
            cron_expression="*/15 * * * *",
            timezone="UTC",
            created_at=ANCHOR + timedelta(minutes=7),
        )
        assert due_slot(job, ANCHOR + timedelta(minutes=8)) is None
        assert due_slot(job, ANCHOR + timedelta(minutes=15)) == ANCHOR + timedelta(minutes=15)

    def test_after_downtime_only_the_latest_fire_time_is_due(self) -> None:
        job = plan("cron", cron_expression="*/15 * * * *", timezone="UTC")
        assert due_slot(job, ANCHOR + timedelta(hours=5, minutes=3)) == ANCHOR + timedelta(hours=5)

    def test_a_fire_time_before_the_schedule_was_set_is_not_due(self) -> None:
        job = plan(
            "cron",
            cron_expression="0 * * * *",
            timezone="UTC",
            scheduled_since=ANCHOR + timedelta(minutes=30),
        )
        assert due_slot(job, ANCHOR + timedelta(minutes=40)) is None
        assert due_slot(job, ANCHOR + timedelta(minutes=60)) == ANCHOR + timedelta(hours=1)

    def test_a_fire_time_before_the_window_opens_is_not_due(self) -> None:
        job = plan(
            "cron",
            cron_expression="0 * * * *",
            timezone="UTC",
            start_at=ANCHOR + timedelta(minutes=30),
        )
        assert due_slot(job, ANCHOR + timedelta(minutes=45)) is None
        assert due_slot(job, ANCHOR + timedelta(minutes=61)) == ANCHOR + timedelta(hours=1)


class TestDueSlotOnetime:
    def test_is_due_from_run_at_on_and_always_the_same_slot(self) -> None:
        run_at = ANCHOR + timedelta(hours=1)
        job = plan("onetime", run_at=run_at)
        assert due_slot(job, run_at - timedelta(seconds=1)) is None
        assert due_slot(job, run_at) == run_at
        assert due_slot(job, run_at + timedelta(days=3)) == run_at

    def test_is_not_due_after_its_window_closes(self) -> None:
        run_at = ANCHOR + timedelta(hours=1)
        job = plan("onetime", run_at=run_at, end_at=run_at + timedelta(minutes=10))
        assert due_slot(job, run_at + timedelta(minutes=5)) == run_at
        assert due_slot(job, run_at + timedelta(minutes=10)) is None


class TestDueSlotInterval:
    def test_is_anchored_at_the_window_start(self) -> None:
        start = ANCHOR + timedelta(minutes=30)
        job = plan("interval", interval_seconds=3600, start_at=start)
        assert due_slot(job, start - timedelta(seconds=1)) is None
        assert due_slot(job, start) == 0
        assert due_slot(job, start + timedelta(hours=1)) == 1

    def test_is_not_due_after_the_window_closes(self) -> None:
        job = plan("interval", interval_seconds=3600, end_at=ANCHOR + timedelta(hours=2))
        assert due_slot(job, ANCHOR + timedelta(hours=1)) == 1
        assert due_slot(job, ANCHOR + timedelta(hours=2)) is None

    def test_a_manual_job_is_never_due(self) -> None:
        assert due_slot(plan("manual"), ANCHOR) is None


class TestSlotRunIdForTimes:
    def test_the_same_instant_in_any_timezone_is_one_run(self) -> None:
        job = uuid4()
        berlin = ANCHOR.astimezone(ZoneInfo("Europe/Berlin"))
        assert slot_run_id(job, ANCHOR) == slot_run_id(job, berlin)
        assert slot_run_id(job, ANCHOR) != slot_run_id(job, ANCHOR + timedelta(minutes=15))
