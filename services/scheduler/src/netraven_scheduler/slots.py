"""When a scheduled job is due, as pure functions of its schedule and the time.

Each schedule type cuts time into slots, and each slot fires at most once: its run id is derived
from the job and the slot (`run_rpc.slot_run_id`, which the api uses when it starts the run), so two
scheduler replicas racing for the same slot make one run, and a scheduler back from downtime fires
the current slot once rather than every missed one.

- interval: slots of the job's interval, anchored at its start (or its creation);
- cron: the slot is the most recent fire time at or before now, in the job's timezone;
- onetime: one slot, at `run_at`.

A job fires only inside its optional [start_at, end_at) window.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from croniter import croniter
from netraven_shared.events.run_rpc import Slot


@dataclass(frozen=True)
class Plan:
    """What the scheduler needs of a job to know whether it is due."""

    job_id: UUID
    schedule_type: str
    created_at: datetime
    scheduled_since: datetime | None = None
    interval_seconds: int | None = None
    cron_expression: str | None = None
    timezone: str | None = None
    run_at: datetime | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None


def current_slot(anchor: datetime, interval_seconds: int, now: datetime) -> int:
    return max(0, int((now - anchor).total_seconds() // interval_seconds))


def last_cron_fire(expression: str, timezone: str, now: datetime) -> datetime:
    """The most recent fire time at or before `now`, computed in `timezone`, returned in UTC."""
    local = now.astimezone(ZoneInfo(timezone))
    minute = local.replace(second=0, microsecond=0)
    fire = (
        minute
        if croniter.match(expression, minute)
        else croniter(expression, local).get_prev(datetime)
    )
    return fire.astimezone(UTC)


def in_window(start_at: datetime | None, end_at: datetime | None, now: datetime) -> bool:
    return (start_at is None or now >= start_at) and (end_at is None or now < end_at)


def due_slot(plan: Plan, now: datetime) -> Slot | None:
    """The slot this job should have fired by `now`, or None when nothing is due."""
    if not in_window(plan.start_at, plan.end_at, now):
        return None
    if plan.schedule_type == "interval" and plan.interval_seconds:
        return current_slot(plan.start_at or plan.created_at, plan.interval_seconds, now)
    if plan.schedule_type == "cron" and plan.cron_expression:
        fire = last_cron_fire(plan.cron_expression, plan.timezone or "UTC", now)
        since = max(filter(None, [plan.scheduled_since or plan.created_at, plan.start_at]))
        # A fire time from before the schedule existed is not missed: wait for the next one.
        return fire if fire >= since else None
    if plan.schedule_type == "onetime" and plan.run_at:
        return plan.run_at if now >= plan.run_at else None
    return None
