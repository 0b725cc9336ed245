from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from netraven_api.schemas_common import Name, TagNames

MIN_INTERVAL_SECONDS = 60


class ManualSchedule(BaseModel):
    type: Literal["manual"] = "manual"


class IntervalSchedule(BaseModel):
    type: Literal["interval"]
    seconds: int = Field(ge=MIN_INTERVAL_SECONDS, le=31 * 24 * 3600, description="At least 60 seconds")


Schedule = Annotated[ManualSchedule | IntervalSchedule, Field(discriminator="type")]


class JobCreate(BaseModel):
    name: Name
    device_ids: list[UUID] = Field(default_factory=list, max_length=10000)
    tags: TagNames
    schedule: Schedule = Field(default_factory=ManualSchedule)
    enabled: bool = True

    @model_validator(mode="after")
    def _has_targets(self) -> "JobCreate":
        if not self.device_ids and not self.tags:
            raise ValueError("a job needs targets: give device_ids, tags, or both")
        return self


class JobOut(BaseModel):
    id: UUID
    name: str
    device_ids: list[UUID]
    tags: list[str]
    schedule: Schedule
    enabled: bool


class JobPage(BaseModel):
    items: list[JobOut]
    total: int


class RunAccepted(BaseModel):
    run_id: UUID


class JobsStatus(BaseModel):
    total_jobs: int
    running: int
    succeeded: int
    failed: int
