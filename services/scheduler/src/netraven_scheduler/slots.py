"""When an interval job is due: time is cut into slots of the job's interval, anchored at its
creation, and each slot fires at most once. Its run id is derived from the job and the slot, so
two scheduler replicas racing for the same slot record one run, and a scheduler back from
downtime fires the current slot once rather than every missed one."""

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5


def current_slot(anchor: datetime, interval_seconds: int, now: datetime) -> int:
    return max(0, int((now - anchor).total_seconds() // interval_seconds))


def slot_run_id(job_id: UUID, slot: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"netraven:schedule:{job_id}:{slot}")
