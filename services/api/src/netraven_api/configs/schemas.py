from datetime import datetime
from uuid import UUID

from netraven_shared.events.config_read import SearchMatch
from pydantic import BaseModel, ConfigDict, Field


class ConfigVersionOut(BaseModel):
    commit: str
    committed_at: datetime
    sha256: str
    size_bytes: int
    run_id: UUID | None
    changed_lines: int | None = Field(
        default=None,
        description=(
            "Lines of the config added plus removed against the previous version (0 for a "
            "version whose extra outputs alone changed: its `sha256` is the previous one's); "
            "null for versions stored before it was counted"
        ),
    )


class ConfigText(BaseModel):
    device_id: UUID
    commit: str
    committed_at: datetime
    sha256: str = Field(description="Of `text`: the config's, or the output's")
    text: str
    output: str | None = Field(
        default=None, description="The extra output read (`version`, ...); null: the config"
    )


class ConfigDiff(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", description="The full commit id diffed from")
    to: str
    diff: str = Field(description="Unified diff text; empty when the two versions are the same")
    added: int
    removed: int


class DeviceSearchResult(BaseModel):
    device_id: UUID
    hostname: str
    commit: str = Field(description="The device's latest config version, where the matches are")
    matches: list[SearchMatch]
