from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel


class LogOut(BaseModel):
    id: int
    timestamp: datetime
    level: str
    log_type: str
    message: str
    source: str
    job_id: UUID | None
    run_id: UUID | None
    device_id: UUID | None
    extra: dict[str, Any]


class LogPage(BaseModel):
    items: list[LogOut]
    next_cursor: str | None


class StreamToken(BaseModel):
    token: str
    expires_in: int


class VocabularyEntry(BaseModel):
    value: str
    count: int
