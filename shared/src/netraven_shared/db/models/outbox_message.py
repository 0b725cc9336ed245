from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base, utc_now


class OutboxMessage(Base):
    """An event committed with the rows it announces, waiting for the api's relay to publish it.

    `id` orders the rows: the relay publishes them in the order they were written."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    event_id: Mapped[UUID] = mapped_column(unique=True)
    subject: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
