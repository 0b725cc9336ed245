from datetime import UTC, datetime, timedelta
from typing import Annotated, Self
from uuid import UUID

from netraven_shared.db.models import Role
from pydantic import AwareDatetime, BaseModel, Field, model_validator

from netraven_api.schemas_common import Name

MAX_LIFETIME_DAYS = 365
DEFAULT_LIFETIME_DAYS = 90


class ApiTokenCreate(BaseModel):
    """Every token expires: a forgotten script's secret must not work forever. Without an expiry, 90
    days."""

    name: Name
    role: Role = Role.VIEWER
    expires_in_days: Annotated[int | None, Field(ge=1, le=MAX_LIFETIME_DAYS)] = None
    expires_at: AwareDatetime | None = Field(
        default=None, description=f"At most {MAX_LIFETIME_DAYS} days ahead"
    )

    @model_validator(mode="after")
    def _one_expiry(self) -> Self:
        if self.expires_in_days is not None and self.expires_at is not None:
            raise ValueError("give either expires_in_days or expires_at, not both")
        if self.expires_at is not None:
            now = datetime.now(UTC)
            if self.expires_at <= now:
                raise ValueError("expires_at is in the past")
            if self.expires_at > now + timedelta(days=MAX_LIFETIME_DAYS):
                raise ValueError(f"a token lives at most {MAX_LIFETIME_DAYS} days")
        return self

    def expiry(self) -> datetime:
        if self.expires_at is not None:
            return self.expires_at
        return datetime.now(UTC) + timedelta(days=self.expires_in_days or DEFAULT_LIFETIME_DAYS)


class ApiTokenOut(BaseModel):
    """A token as lists show it: never its secret, only the prefix that tells tokens apart."""

    id: UUID
    name: str
    role: str
    prefix: str
    owner_id: UUID
    owner_username: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    last_used_address: str | None
    revoked_at: datetime | None


class ApiTokenCreated(ApiTokenOut):
    secret: str = Field(
        description="Send as `Authorization: Bearer <secret>`. Shown only in this answer."
    )
