from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.events.jobs import RunKind
from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, model_validator

from netraven_api.jobs.validators import check_cron_expression, check_datetime, check_timezone
from netraven_api.schemas_common import Name, TagNames

KIND_HELP = (
    "`backup` collects each device's config; `reachability` only checks that its SSH port "
    "answers; `inventory_sync` syncs `inventory_source_id` into the inventory (admins)"
)
SOURCE_HELP = "The inventory source an `inventory_sync` job syncs; other kinds name none"

MIN_INTERVAL_SECONDS = 60
# Aware datetimes only, within what PostgreSQL and Python both represent.
When = Annotated[AwareDatetime, AfterValidator(check_datetime)]


class ManualSchedule(BaseModel):
    type: Literal["manual"] = "manual"


class Window(BaseModel):
    """An optional window a scheduled job fires in: from `start_at`, until before `end_at`."""

    start_at: When | None = None
    end_at: When | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> "Window":
        if self.start_at and self.end_at and self.end_at <= self.start_at:
            raise ValueError("end_at must be after start_at")
        return self


class IntervalSchedule(Window):
    type: Literal["interval"]
    seconds: int = Field(
        ge=MIN_INTERVAL_SECONDS, le=31 * 24 * 3600, description="At least 60 seconds"
    )


class CronSchedule(Window):
    type: Literal["cron"]
    expression: Annotated[
        str, Field(max_length=100, examples=["*/15 * * * *"]), AfterValidator(check_cron_expression)
    ] = Field(description="A 5-field cron expression: minute hour day-of-month month day-of-week")
    timezone: Annotated[
        str, Field(max_length=64, examples=["Europe/Berlin"]), AfterValidator(check_timezone)
    ] = "UTC"


class OnetimeSchedule(Window):
    type: Literal["onetime"]
    run_at: When = Field(description="When to run, with a timezone; not in the past")


Schedule = Annotated[
    ManualSchedule | IntervalSchedule | CronSchedule | OnetimeSchedule, Field(discriminator="type")
]


SYNC_TARGETS = "an inventory_sync job names an inventory_source_id, and no devices or tags"
PAST_RUN_AT = "run_at is in the past: a one-time schedule needs a time ahead"


def is_past_onetime(schedule: Schedule | None) -> bool:
    """Checked on new schedules only: a stored one-time job keeps its run_at after it has run."""
    return isinstance(schedule, OnetimeSchedule) and schedule.run_at <= utc_now()


class JobCreate(BaseModel):
    name: Name
    kind: RunKind = Field("backup", description=KIND_HELP)
    device_ids: list[UUID] = Field(default_factory=list, max_length=10000)
    tags: TagNames
    inventory_source_id: UUID | None = Field(None, description=SOURCE_HELP)
    schedule: Schedule = Field(default_factory=ManualSchedule)
    enabled: bool = True

    @model_validator(mode="after")
    def _has_targets(self) -> "JobCreate":
        if self.kind == "inventory_sync":
            if self.inventory_source_id is None or self.device_ids or self.tags:
                raise ValueError(SYNC_TARGETS)
        elif self.inventory_source_id is not None:
            raise ValueError("only an inventory_sync job names an inventory_source_id")
        elif not self.device_ids and not self.tags:
            raise ValueError("a job needs targets: give device_ids, tags, or both")
        if is_past_onetime(self.schedule):
            raise ValueError(PAST_RUN_AT)
        return self


class JobUpdate(BaseModel):
    """Only the fields given change; a job must keep at least one target. Sending its schedule
    back unchanged is no change, even a one-time schedule that has run."""

    name: Name | None = None
    kind: RunKind | None = Field(None, description=KIND_HELP)
    device_ids: list[UUID] | None = Field(default=None, max_length=10000)
    tags: Annotated[list[Name], Field(max_length=50)] | None = None
    inventory_source_id: UUID | None = Field(None, description=SOURCE_HELP)
    schedule: Schedule | None = None
    enabled: bool | None = None


class JobOut(BaseModel):
    id: UUID
    name: str
    kind: RunKind
    device_ids: list[UUID]
    tags: list[str]
    inventory_source_id: UUID | None = None
    schedule: Schedule
    enabled: bool
    created_at: datetime = Field(
        description="Interval slots are counted from here when the schedule has no start_at"
    )


class JobPage(BaseModel):
    items: list[JobOut]
    total: int


class RunAccepted(BaseModel):
    run_id: UUID


class JobsStatus(BaseModel):
    total_jobs: int
    window_hours: int
    total_runs: int
    running: int
    succeeded: int
    failed: int
    cancelled: int
