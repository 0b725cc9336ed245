from uuid import UUID

from pydantic import BaseModel

from netraven_api.schemas_common import Name


class TagCreate(BaseModel):
    name: Name


class TagUpdate(BaseModel):
    name: Name


class TagOut(BaseModel):
    id: UUID
    name: str
    device_count: int
    credential_count: int
