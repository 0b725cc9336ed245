from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base


class LogEntry(Base):
    """The unified operator log, written only by log-collector."""

    __tablename__ = "logs"
    __table_args__ = (
        Index("ix_logs_newest", "timestamp", "id"),
        Index("ix_logs_run", "run_id", "id"),
        Index("ix_logs_device", "device_id", "id"),
        Index("ix_logs_job", "job_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    event_id: Mapped[UUID] = mapped_column(unique=True)
    timestamp: Mapped[datetime]
    level: Mapped[str] = mapped_column(String(10))
    log_type: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(50))
    job_id: Mapped[UUID | None]
    run_id: Mapped[UUID | None]
    device_id: Mapped[UUID | None]
    correlation_id: Mapped[UUID | None]
    extra: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
