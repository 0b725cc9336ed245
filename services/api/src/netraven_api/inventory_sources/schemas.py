from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AnyHttpUrl, BaseModel, Field, StringConstraints

from netraven_api.schemas_common import Name

SourceKind = Literal["netbox", "nautobot"]
TagField = Literal["site", "role", "tags"]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Platform = Annotated[str, StringConstraints(min_length=1, max_length=50)]

TAG_FIELDS_HELP = (
    "Which of the device's site, role and tags become NetRaven tags (`site:<slug>`, "
    "`role:<slug>`, `tag:<slug>`); every device also gets `source:<name>`"
)


class SourceFilters(BaseModel):
    """Only devices matching every filter given (any of its values) are synced. Slugs for NetBox;
    names for Nautobot, whose `site` is its location."""

    site: list[Slug] = Field(default_factory=list, max_length=100)
    role: list[Slug] = Field(default_factory=list, max_length=100)
    tag: list[Slug] = Field(default_factory=list, max_length=100)
    status: list[Slug] = Field(default_factory=list, max_length=100)


class InventorySourceFields(BaseModel):
    filters: SourceFilters = Field(default_factory=SourceFilters)
    platform_map: dict[Slug, Platform] = Field(
        default_factory=dict,
        max_length=500,
        description="Source platform (NetBox slug, Nautobot name) → NetRaven platform",
    )
    default_platform: Platform | None = Field(
        None, description="For unmapped platforms; none: such devices are skipped"
    )
    tag_fields: list[TagField] = Field(default_factory=list, description=TAG_FIELDS_HELP)
    credential_tag: Name | None = Field(
        None, description="A tag added to every device of the source, for its credentials"
    )


class InventorySourceCreate(InventorySourceFields):
    name: Name
    kind: SourceKind
    url: AnyHttpUrl
    token: Token = Field(description="Stored encrypted, never returned")
    verify_tls: bool = True


class InventorySourceUpdate(BaseModel):
    """Only the fields given change; the token only when sent."""

    name: Name | None = None
    url: AnyHttpUrl | None = None
    token: Token | None = None
    verify_tls: bool | None = None
    filters: SourceFilters | None = None
    platform_map: dict[Slug, Platform] | None = Field(None, max_length=500)
    default_platform: Platform | None = None
    tag_fields: list[TagField] | None = None
    credential_tag: Name | None = None


class SyncCounts(BaseModel):
    adopted: int
    updated: int
    orphaned: int
    skipped: int
    unchanged: int


class InventorySourceOut(BaseModel):
    id: UUID
    name: str
    kind: SourceKind
    url: str
    verify_tls: bool
    filters: SourceFilters
    platform_map: dict[str, str]
    default_platform: str | None
    tag_fields: list[TagField]
    credential_tag: str | None
    devices: int = Field(description="Devices from this source, orphaned ones included")
    orphaned: int
    last_sync_at: datetime | None
    last_summary: SyncCounts | None
    last_error: str | None
    created_at: datetime


class AdoptedDevice(BaseModel):
    external_id: str
    hostname: str
    ip_address: str
    device_type: str
    tags: list[str]


class UpdatedDevice(BaseModel):
    device_id: UUID
    hostname: str
    changes: dict[str, dict[str, Any]] = Field(description="field → {from, to}")


class OrphanedDevice(BaseModel):
    device_id: UUID
    hostname: str


class SkippedDevice(BaseModel):
    external_id: str
    name: str | None
    reason: str


class SyncReport(BaseModel):
    """What a sync did, or (a preview) would do."""

    source_id: UUID
    dry_run: bool
    counts: SyncCounts
    adopt: list[AdoptedDevice]
    update: list[UpdatedDevice]
    orphan: list[OrphanedDevice]
    skipped: list[SkippedDevice]
