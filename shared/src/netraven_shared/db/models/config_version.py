from datetime import datetime
from uuid import UUID

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base


class ConfigVersion(Base):
    """The index of config versions in gitkeeper's repo, written only by gitkeeper."""

    __tablename__ = "config_versions"
    __table_args__ = (
        UniqueConstraint("device_id", "commit", name="uq_config_versions_device_commit"),
        Index("ix_config_versions_device_newest", "device_id", "committed_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    device_id: Mapped[UUID] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    commit: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    committed_at: Mapped[datetime]
    run_id: Mapped[UUID | None]
    # Lines added plus removed against the device's previous version; None for rows older than this
    # column.
    changed_lines: Mapped[int | None]
    # Digest of the version's extra outputs (names and contents, see gitkeeper's
    # `planner.outputs_digest`); None when it has none. `sha256` and `size_bytes` are the config's.
    outputs_sha256: Mapped[str | None] = mapped_column(String(64))
    # The commit is no longer in the repository (restored from an older backup); set and cleared at
    # start-up.
    missing_from_repo: Mapped[bool] = mapped_column(default=False, server_default="false")
