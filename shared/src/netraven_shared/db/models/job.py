from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven_shared.db.base import Base, Timestamped, utc_now
from netraven_shared.db.models.device import Device
from netraven_shared.db.models.tag import Tag, job_tags

job_devices = Table(
    "job_devices",
    Base.metadata,
    Column("job_id", ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("device_id", ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True),
)


class Job(Timestamped, Base):
    """A backup job: targets devices by id and/or tag (resolved when it runs) on a schedule."""

    __tablename__ = "jobs"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="backup", server_default="backup")
    schedule_type: Mapped[str] = mapped_column(String(20), default="manual")
    interval_seconds: Mapped[int | None]
    cron_expression: Mapped[str | None] = mapped_column(String(100))
    timezone: Mapped[str | None] = mapped_column(String(64))
    run_at: Mapped[datetime | None]
    start_at: Mapped[datetime | None]
    end_at: Mapped[datetime | None]
    # When the schedule was last set: a cron fire time before it was never missed.
    scheduled_since: Mapped[datetime | None]
    enabled: Mapped[bool] = mapped_column(default=True)
    # The source an `inventory_sync` job syncs (its other jobs target devices instead).
    inventory_source_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("inventory_sources.id", ondelete="CASCADE"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    devices: Mapped[list[Device]] = relationship(secondary=job_devices, lazy="selectin")
    tags: Mapped[list[Tag]] = relationship(secondary=job_tags, lazy="selectin")
