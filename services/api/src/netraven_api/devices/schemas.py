from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field, IPvAnyAddress

from netraven_api.schemas_common import TagNames


class DeviceCreate(BaseModel):
    hostname: str = Field(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    ip_address: IPvAnyAddress
    device_type: str = Field(min_length=1, max_length=50, pattern=r"^[a-z0-9_]+$", examples=["cisco_ios"])
    port: int = Field(default=22, ge=1, le=65535)
    tags: TagNames


class DeviceOut(BaseModel):
    id: UUID
    hostname: str
    ip_address: str
    device_type: str
    port: int
    tags: list[str]
    last_backup_status: str | None = None
    last_backup_at: datetime | None = None


class DevicePage(BaseModel):
    items: list[DeviceOut]
    total: int
