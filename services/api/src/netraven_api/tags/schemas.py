from uuid import UUID

from pydantic import BaseModel, Field

from netraven_api.schemas_common import Name

JUMP_HOST_HELP = "The jump host its devices go through unless they name their own"


class TagCreate(BaseModel):
    name: Name
    jump_host_id: UUID | None = Field(default=None, description=JUMP_HOST_HELP)


class TagUpdate(BaseModel):
    """Only the fields sent change; `jump_host_id: null` takes the tag's jump host away."""

    name: Name | None = None
    jump_host_id: UUID | None = Field(default=None, description=JUMP_HOST_HELP)


class TagOut(BaseModel):
    id: UUID
    name: str
    device_count: int
    credential_count: int
    jump_host_id: UUID | None = None
