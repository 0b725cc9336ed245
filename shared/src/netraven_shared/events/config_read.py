"""Request/reply contract: the api asks gitkeeper for one stored config text."""

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class ConfigReadRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    device_id: UUID
    commit: str = Field(pattern=r"^[0-9a-f]{7,40}$")


class ConfigReadReply(BaseModel):
    """Exactly one of `config_text` / `config_object` is set when `found`; see config_transport."""

    found: bool
    config_text: str | None = None
    config_object: str | None = None
    sha256: str | None = None
    size_bytes: int | None = None
