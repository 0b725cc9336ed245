from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from netraven_api.schemas_common import Name

JUMP_HOST_HELP = "The jump host its devices go through unless they name their own"
StaleAfterHours = Annotated[
    int | None,
    Field(
        ge=1,
        le=8760,
        description=(
            "Its devices are notified as stale after this many hours without a good backup "
            "(the lowest of a device's tags wins); null: NETRAVEN_STALE_AFTER_HOURS (26)"
        ),
    ),
]


class TagCreate(BaseModel):
    name: Name
    jump_host_id: UUID | None = Field(default=None, description=JUMP_HOST_HELP)
    stale_after_hours: StaleAfterHours = None


class TagUpdate(BaseModel):
    """Only the fields sent change; `jump_host_id: null` takes the tag's jump host away,
    `stale_after_hours: null` gives back the default."""

    name: Name | None = None
    jump_host_id: UUID | None = Field(default=None, description=JUMP_HOST_HELP)
    stale_after_hours: StaleAfterHours = None


class TagOut(BaseModel):
    id: UUID
    name: str
    device_count: int
    credential_count: int
    jump_host_id: UUID | None = None
    stale_after_hours: int | None = None
