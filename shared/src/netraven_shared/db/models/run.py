from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven_shared.db.base import Base, Timestamped, utc_now


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PARTIAL = "partial"
    CANCELLED = "cancelled"


class ResultStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Run(Timestamped, Base):
    """One execution of a job (or an ad-hoc request from the bus): the record of what happened."""

    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_created_at", "created_at"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    job_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), index=True
    )
    trigger: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="backup", server_default="backup")
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.QUEUED, index=True)
    correlation_id: Mapped[UUID] = mapped_column(default=uuid4)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # Tallies of the results, kept on the run: deleting a device deletes its results, not this
    # history.
    device_count: Mapped[int] = mapped_column(default=0, server_default="0")
    succeeded_count: Mapped[int] = mapped_column(default=0, server_default="0")
    failed_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # An inventory sync's outcome: its counts, or why it failed.
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    # Never loaded unless a query names it (selectinload): locking or listing runs reads no results.
    results: Mapped[list["RunResult"]] = relationship(
        lazy="raise", order_by="RunResult.hostname", cascade="all, delete-orphan"
    )


class RunResult(Base):
    """One device's outcome within a run."""

    __tablename__ = "run_results"
    __table_args__ = (Index("ix_run_results_open", "status", "updated_at"),)

    run_id: Mapped[UUID] = mapped_column(
        ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    device_id: Mapped[UUID] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    hostname: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default=ResultStatus.QUEUED)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    requests: Mapped[int] = mapped_column(default=1)
    credential_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("credentials.id", ondelete="SET NULL")
    )
    # The address the worker's last session reached, for a device given by DNS name.
    resolved_address: Mapped[str | None] = mapped_column(String(45))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
