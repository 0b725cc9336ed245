from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, IPvAnyAddress

from netraven_api.schemas_common import Name, TagNames

Hostname = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
DeviceType = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9_]+$", examples=["cisco_ios"])]
Port = Annotated[int, Field(ge=1, le=65535)]


class DeviceCreate(BaseModel):
    hostname: Hostname
    ip_address: IPvAnyAddress
    device_type: DeviceType
    port: Port = 22
    tags: TagNames


class DeviceUpdate(BaseModel):
    """Only the fields sent change; `tags: []` puts the device back on the `default` tag."""

    hostname: Hostname | None = None
    ip_address: IPvAnyAddress | None = None
    device_type: DeviceType | None = None
    port: Port | None = None
    tags: Annotated[list[Name], Field(max_length=50)] | None = None


class BackupStatus(StrEnum):
    """The outcome of a device's last finished backup; `never` when none finished yet."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NEVER = "never"


class DeviceSort(StrEnum):
    HOSTNAME = "hostname"
    HOSTNAME_DESC = "-hostname"
    LAST_BACKUP_AT = "last_backup_at"
    LAST_BACKUP_AT_DESC = "-last_backup_at"
    DEVICE_TYPE = "device_type"


class DeviceFilter(BaseModel):
    q: str | None = None
    device_type: str | None = None
    tag: str | None = None
    status: BackupStatus | None = None
    sort: DeviceSort = DeviceSort.HOSTNAME


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


class ImportRowReport(BaseModel):
    row: int = Field(description="1-based position in the file or list (a CSV header is not a row)")
    hostname: str | None
    status: Literal["created", "failed"]
    error: str | None = None


class ImportReport(BaseModel):
    created: int
    failed: int
    rows: list[ImportRowReport]
