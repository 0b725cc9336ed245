from datetime import datetime
from uuid import UUID

from pydantic import BaseModel


class ConfigVersionOut(BaseModel):
    commit: str
    committed_at: datetime
    sha256: str
    size_bytes: int
    run_id: UUID | None


class ConfigText(BaseModel):
    device_id: UUID
    commit: str
    committed_at: datetime
    sha256: str
    text: str
