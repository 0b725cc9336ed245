from datetime import datetime
from uuid import UUID

from netraven_shared.db.models import Role
from pydantic import BaseModel, Field

Username = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
PASSWORD_MIN_LENGTH = 12
Password = Field(
    min_length=PASSWORD_MIN_LENGTH,
    max_length=256,
    description=f"At least {PASSWORD_MIN_LENGTH} characters",
)


def check_password_rules(password: str, where: str) -> None:
    """The rules `Password` enforces on requests, for passwords that arrive another way
    (settings)."""
    if not PASSWORD_MIN_LENGTH <= len(password) <= 256:
        raise ValueError(f"{where} must be {PASSWORD_MIN_LENGTH} to 256 characters long")


class UserCreate(BaseModel):
    username: str = Username
    password: str = Password
    role: Role = Role.VIEWER


class UserUpdate(BaseModel):
    """Only what is given changes; users are disabled, never deleted, so their history stays."""

    role: Role | None = None
    is_active: bool | None = None
    password: str | None = Field(
        default=None,
        min_length=PASSWORD_MIN_LENGTH,
        max_length=256,
        description=f"At least {PASSWORD_MIN_LENGTH} characters",
    )


class UserOut(BaseModel):
    id: UUID
    username: str
    role: str
    is_active: bool
    auth_source: str
    must_change_password: bool
    created_at: datetime
