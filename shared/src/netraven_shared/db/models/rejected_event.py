from datetime import datetime
from uuid import UUID

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base


class RejectedEvent(Base):
    """A message a service refused (`EventRejected`), written only by log-collector. `event_id` is
    the `EventRejected`'s own id, so a redelivered one is stored once."""

    __tablename__ = "rejected_events"
    __table_args__ = (
        Index("ix_rejected_events_newest", "occurred_at", "id"),
        Index("ix_rejected_events_subject_identity", "rejected_subject", "identity", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    event_id: Mapped[UUID] = mapped_column(unique=True)
    occurred_at: Mapped[datetime]
    rejected_subject: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str] = mapped_column(String(1000))
    service: Mapped[str] = mapped_column(String(50))
    identity: Mapped[str | None] = mapped_column(String(100))
