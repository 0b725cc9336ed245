from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from netraven_shared.db.freshness import DEFAULT_STALE_AFTER_HOURS
from netraven_shared.host_keys import HostKeyStatus
from pydantic import BaseModel, Field, StringConstraints

from netraven_api.compliance.schemas import EvaluationStatus
from netraven_api.devices.address import DeviceAddress
from netraven_api.host_keys.schemas import BoundCredential, HostKeyOut, PublicKeyLine
from netraven_api.jump_hosts.schemas import JumpHostRef
from netraven_api.schemas_common import Name, TagNames

Hostname = Annotated[
    str, Field(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
DeviceType = Annotated[
    str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9_]+$", examples=["cisco_ios"])
]
Port = Annotated[int, Field(ge=1, le=65535)]
TimeoutSeconds = Annotated[
    int,
    Field(
        ge=5,
        le=600,
        description=(
            "SSH connect, login and read-base timeout in seconds (5 to 600); null: "
            "the worker's default"
        ),
    ),
]
LegacySsh = Annotated[
    bool,
    Field(
        description=(
            "Allow SHA-1 key exchange, ssh-rsa host keys and CBC "
            "ciphers: only for old gear that offers nothing newer"
        ),
    ),
]

Transport = Annotated[
    Literal["ssh", "telnet"],
    Field(
        description=(
            "How sessions reach the CLI: ssh, or telnet for gear without SSH (sends the password "
            "in clear text; refused when host-key pinning is strict)"
        ),
    ),
]
JumpHostId = Annotated[
    UUID,
    Field(description="The jump host sessions go through; null: its tags' jump host, if any"),
]


SITE_FIELD = Field(
    default=None,
    description="The remote site whose collectors back it up; null: the central workers",
)


class DeviceCreate(BaseModel):
    hostname: Hostname
    ip_address: DeviceAddress
    device_type: DeviceType
    port: Port = 22
    timeout_seconds: TimeoutSeconds | None = None
    legacy_ssh: LegacySsh = False
    transport: Transport = "ssh"
    jump_host_id: JumpHostId | None = None
    site_id: UUID | None = SITE_FIELD
    tags: TagNames


class DeviceImportRow(DeviceCreate):
    host_key: PublicKeyLine | None = Field(
        default=None, description="Pin this SSH host key (admins only)"
    )
    jump_host: Name | None = Field(default=None, description="The jump host's name")
    site: Annotated[str, StringConstraints(strip_whitespace=True, max_length=31)] | None = Field(
        default=None, description="The remote site's name; none: the central workers"
    )


class DeviceUpdate(BaseModel):
    """Only the fields sent change; `tags: []` puts the device back on the `default` tag and
    `timeout_seconds: null` back on the worker's default timeout, `jump_host_id: null` on its
    tags' jump host."""

    hostname: Hostname | None = None
    ip_address: DeviceAddress | None = None
    device_type: DeviceType | None = None
    port: Port | None = None
    timeout_seconds: TimeoutSeconds | None = None
    legacy_ssh: LegacySsh | None = None
    transport: Transport | None = None
    jump_host_id: JumpHostId | None = None
    site_id: UUID | None = SITE_FIELD
    tags: Annotated[list[Name], Field(max_length=50)] | None = None


class BackupStatus(StrEnum):
    """The outcome of a device's last finished backup; `never` when none finished yet."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NEVER = "never"


class ReachabilityStatus(StrEnum):
    REACHABLE = "reachable"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"


class Reachability(BaseModel):
    """The last reachability check (a TCP connect to the SSH port); `unknown` until the first."""

    status: ReachabilityStatus = ReachabilityStatus.UNKNOWN
    latency_ms: float | None = None
    checked_at: datetime | None = None
    error: str | None = None


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
    reachability: ReachabilityStatus | None = None
    host_key_status: HostKeyStatus | None = None
    compliance: EvaluationStatus | None = None
    model: str | None = None
    os_version: str | None = None
    serial_number: str | None = None
    orphaned: bool | None = None
    source_id: UUID | None = None
    stale: bool | None = None
    stale_after_hours: float = DEFAULT_STALE_AFTER_HOURS
    site: str | None = None
    sort: DeviceSort = DeviceSort.HOSTNAME


class DeviceOut(BaseModel):
    id: UUID
    hostname: str
    ip_address: str
    device_type: str
    port: int
    timeout_seconds: int | None
    legacy_ssh: bool
    transport: str
    jump_host_id: UUID | None = Field(description="The jump host the device itself names")
    jump_host: JumpHostRef | None = Field(
        default=None, description="The jump host its sessions go through: its own, else its tags'"
    )
    site_id: UUID | None = SITE_FIELD
    tags: list[str]
    reachability: Reachability
    last_backup_status: str | None = None
    last_backup_at: datetime | None = None
    host_key: HostKeyOut
    bound_credential: BoundCredential | None = None
    model: str | None = Field(
        default=None, description="Read by the driver from the newest backup (`show version`, ...)"
    )
    serial_number: str | None = None
    os_version: str | None = None
    facts_updated_at: datetime | None = Field(
        default=None, description="When the backup that read the facts was collected"
    )
    source_id: UUID | None = Field(
        default=None, description="The inventory source it came from; none: added here"
    )
    orphaned_at: datetime | None = Field(
        default=None,
        description="When it was found gone from its inventory source; orphaned devices are "
        "left out of job runs",
    )


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
