from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base, utc_now


class AuditEntry(Base):
    """Who did what to which object, from where, and how it ended. Written by the api in the
    transaction of the change it records; never updated (the api's database role has no UPDATE on
    it)."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_newest", "at", "id"),
        Index("ix_audit_actor", "actor_id", "id"),
        Index("ix_audit_object", "object_type", "object_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utc_now)
    actor_id: Mapped[UUID | None]
    # Kept by value: the entry must still say who it was after the user is renamed or deleted.
    actor_name: Mapped[str | None] = mapped_column(String(255))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    token_id: Mapped[UUID | None]
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(255))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    source_address: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
