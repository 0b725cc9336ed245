from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

AgeBucket = Literal["1h", "6h", "24h", "7d", "older", "never"]
AGE_BUCKETS: tuple[AgeBucket, ...] = ("1h", "6h", "24h", "7d", "older", "never")


class TagFreshness(BaseModel):
    tag: str
    stale_after_hours: float = Field(
        description="The tag's own threshold, else NETRAVEN_STALE_AFTER_HOURS"
    )
    devices: int
    stale: int = Field(description="Its devices older than their own threshold")
    oldest_age_seconds: float = Field(
        description="Age of its device with the oldest last good backup (else its creation)"
    )


class DeviceAge(BaseModel):
    id: UUID
    hostname: str
    last_good_backup: datetime | None
    age_seconds: float = Field(description="Since its last good backup, else its creation")
    stale_after_hours: float
    stale: bool
    orphaned: bool


class FleetFreshness(BaseModel):
    """Counted at `generated_at`; orphaned devices count, as the devices list shows them."""

    generated_at: datetime
    default_stale_after_hours: float
    devices: int
    stale: int
    buckets: dict[AgeBucket, int] = Field(
        description="Devices by age of their last good backup, not cumulative: 1h (under one "
        "hour), 6h (1 to 6 hours), 24h, 7d, older, never (no good backup yet)",
        examples=[{"1h": 40, "6h": 2, "24h": 0, "7d": 1, "older": 0, "never": 3}],
    )
    tags: list[TagFreshness] = Field(description="Most stale devices first, then oldest")
    stalest: list[DeviceAge] = Field(description="The oldest devices first")
