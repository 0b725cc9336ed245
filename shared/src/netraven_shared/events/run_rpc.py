"""Request/reply contract: the scheduler asks the api, the one writer of runs, to start a slot's
run.

The run's id is derived from the job and the slot (`slot_run_id`), so two schedulers asking for the
same slot, or one asking again after a lost reply, get one run.
"""

from datetime import UTC, datetime
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import BaseModel, ConfigDict, Field

Slot = int | datetime


def slot_run_id(job_id: UUID, slot: Slot) -> UUID:
    if isinstance(slot, datetime):
        return uuid5(
            NAMESPACE_URL, f"netraven:schedule:{job_id}:at:{slot.astimezone(UTC).isoformat()}"
        )
    return uuid5(NAMESPACE_URL, f"netraven:schedule:{job_id}:{slot}")


class StartRunRequest(BaseModel):
    """Start the run of `job_id`'s `slot`: an interval number, or a fire time (cron, onetime)."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {"job_id": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d", "slot": 4127},
                {"job_id": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d", "slot": "2026-11-23T10:15:00Z"},
            ]
        },
    )

    job_id: UUID
    slot: int | datetime = Field(union_mode="left_to_right")

    @property
    def run_id(self) -> UUID:
        return slot_run_id(self.job_id, self.slot)


StartRunOutcome = Literal["created", "existed", "refused", "error"]


class StartRunReply(BaseModel):
    """`created`: the run and its dispatches are committed; `existed`: the slot's run was started
    before; `refused`: the job is unknown, disabled or not scheduled (`reason` says which);
    `error`: the request itself was unusable."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "outcome": "created",
                    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                    "devices": 12,
                },
                {
                    "outcome": "refused",
                    "run_id": None,
                    "reason": "job 1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d is disabled",
                },
                {
                    "outcome": "error",
                    "run_id": None,
                    "reason": "invalid payload: job_id: Field required",
                },
            ]
        },
    )

    outcome: StartRunOutcome
    run_id: UUID | None = None
    devices: int = 0
    reason: str | None = Field(default=None, max_length=500)
