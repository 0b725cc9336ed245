from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base, Timestamped, utc_now


class ConfigFilter(Timestamped, Base):
    """An operator's extra redaction and noise patterns for one platform or one tag, applied by
    the worker after the driver's own. Exactly one of `platform` and `tag_id` is set. A tag that
    scopes a filter cannot be deleted (RESTRICT): a vanished scope would silently stop a redaction.
    `redactions` is a list of `{pattern, separator}`, `noise` a list of regexes; `version` is the
    current row of `config_filter_versions`."""

    __tablename__ = "config_filters"
    __table_args__ = (CheckConstraint("(platform IS NULL) <> (tag_id IS NULL)", name="one_scope"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    platform: Mapped[str | None] = mapped_column(String(50))
    tag_id: Mapped[UUID | None] = mapped_column(ForeignKey("tags.id", ondelete="RESTRICT"))
    redactions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    noise: Mapped[list[str]] = mapped_column(JSONB, default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class ConfigFilterVersion(Base):
    """Every saved state of a filter's patterns: who saved it, when, and why. Never edited;
    restoring an old version saves it again as the newest."""

    __tablename__ = "config_filter_versions"
    __table_args__ = (
        UniqueConstraint("filter_id", "version", name="uq_config_filter_versions_filter_version"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    filter_id: Mapped[UUID] = mapped_column(
        ForeignKey("config_filters.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    redactions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    noise: Mapped[list[str]] = mapped_column(JSONB)
    enabled: Mapped[bool]
    comment: Mapped[str] = mapped_column(String(500), default="")
    saved_by: Mapped[str | None] = mapped_column(String(255))
    saved_at: Mapped[datetime] = mapped_column(default=utc_now)
