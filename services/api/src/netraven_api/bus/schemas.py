from datetime import datetime

from pydantic import BaseModel


class RejectionOut(BaseModel):
    id: int
    occurred_at: datetime
    rejected_subject: str
    reason: str
    service: str
    identity: str | None


class RejectionPage(BaseModel):
    items: list[RejectionOut]
    next_before: int | None


class RejectionGroup(BaseModel):
    rejected_subject: str
    identity: str | None
    count: int
    last_at: datetime


class RejectionSummary(BaseModel):
    total: int
    groups: list[RejectionGroup]
