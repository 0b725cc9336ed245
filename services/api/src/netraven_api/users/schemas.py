from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from netraven_shared.db.models import Role

Username = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
Password = Field(min_length=12, max_length=256, description="At least 12 characters")


class UserCreate(BaseModel):
    username: str = Username
    password: str = Password
    role: Role = Role.VIEWER


class UserUpdate(BaseModel):
    """Only what is given changes; users are disabled, never deleted, so their history stays."""

    role: Role | None = None
    is_active: bool | None = None
    password: str | None = Field(default=None, min_length=12, max_length=256, description="At least 12 characters")


class UserOut(BaseModel):
    id: UUID
    username: str
    role: str
    is_active: bool
    created_at: datetime
