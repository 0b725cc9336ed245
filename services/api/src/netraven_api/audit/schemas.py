from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel

Outcome = Literal["success", "denied", "failed", "throttled"]
CURSOR_PATTERN = r"^\d{1,19}-\d{1,19}$"


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor_id: UUID | None
    actor_name: str | None
    actor_role: str | None
    token_id: UUID | None
    action: str
    object_type: str | None
    object_id: str | None
    changes: dict[str, Any]
    source_address: str | None
    outcome: str
    detail: str | None


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    next_before: str | None
