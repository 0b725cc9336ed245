from datetime import datetime
from typing import Self
from uuid import UUID

from netraven_shared.drivers.driver_file import PLATFORM_PATTERN
from netraven_shared.events.config_read import COMMIT_PATTERN
from pydantic import BaseModel, Field, model_validator

from netraven_api.config_filters.patterns import FilterRedaction, NoisePatterns, Redactions
from netraven_api.schemas_common import Name

Comment = Field(default="", max_length=500, description="Why this version: shown in the history")


class ConfigFilterIn(BaseModel):
    """The whole filter: saving it makes a new version. Exactly one of `platform` and `tag`."""

    name: Name
    platform: str | None = Field(
        default=None, pattern=PLATFORM_PATTERN, description="A device_type"
    )
    tag: Name | None = Field(default=None, description="A tag's name")
    redactions: Redactions
    noise: NoisePatterns
    enabled: bool = True
    comment: str = Comment

    @model_validator(mode="after")
    def _one_scope(self) -> Self:
        if (self.platform is None) == (self.tag is None):
            raise ValueError("scope: name exactly one of platform and tag")
        return self


class RestoreIn(BaseModel):
    comment: str = Comment


class ConfigFilterVersionOut(BaseModel):
    version: int
    redactions: list[FilterRedaction]
    noise: list[str]
    enabled: bool
    comment: str
    saved_by: str | None
    saved_at: datetime


class ConfigFilterOut(BaseModel):
    id: UUID
    name: str
    platform: str | None
    tag: str | None
    tag_id: UUID | None
    redactions: list[FilterRedaction]
    noise: list[str]
    enabled: bool
    version: int
    created_at: datetime
    updated_at: datetime


class ConfigFilterDetail(ConfigFilterOut):
    versions: list[ConfigFilterVersionOut] = Field(description="Every saved version, newest first")


class PreviewIn(BaseModel):
    """Candidate patterns tried on a device's stored config; nothing is saved."""

    device_id: UUID
    commit: str | None = Field(
        default=None, pattern=COMMIT_PATTERN, description="A stored version; the newest if omitted"
    )
    redactions: Redactions
    noise: NoisePatterns


class PreviewOut(BaseModel):
    device_id: UUID
    hostname: str
    commit: str
    before: str = Field(description="The stored config, as gitkeeper holds it")
    after: str = Field(description="The same text with the candidate patterns applied")
    diff: str = Field(description="Unified diff from before to after; empty when nothing changes")
    redacted: int = Field(description="Secrets the candidate redactions replaced")
    dropped: int = Field(description="Lines the candidate noise patterns dropped")
