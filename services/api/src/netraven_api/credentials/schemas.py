from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from netraven_api.schemas_common import Name, TagNames


class CredentialCreate(BaseModel):
    name: Name
    username: str = Field(min_length=1, max_length=255)
    password: str = Field(min_length=1, max_length=1024)
    enable_secret: str | None = Field(default=None, min_length=1, max_length=1024)
    priority: int = Field(default=100, ge=1, le=10000, description="Lower numbers are tried first")
    tags: TagNames


class CredentialUpdate(BaseModel):
    """Only the fields sent change; `enable_secret: null` removes the enable secret, `tags: []`
    gives `default`."""

    name: Name | None = None
    username: str | None = Field(default=None, min_length=1, max_length=255)
    password: str | None = Field(default=None, min_length=1, max_length=1024)
    enable_secret: str | None = Field(default=None, min_length=1, max_length=1024)
    priority: int | None = Field(
        default=None, ge=1, le=10000, description="Lower numbers are tried first"
    )
    tags: Annotated[list[Name], Field(max_length=50)] | None = None


class CredentialOut(BaseModel):
    """Never carries the password or the enable secret."""

    id: UUID
    name: str
    username: str
    priority: int
    tags: list[str]
    has_enable_secret: bool
    success_count: int
    failure_count: int
    last_success_at: datetime | None
