from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven_shared.db.base import Base, Timestamped
from netraven_shared.db.models.tag import Tag, credential_tags


class Credential(Timestamped, Base):
    """A login for devices sharing one of its tags; secrets are encrypted (see crypto.py), both
    with the key of the ring that `key_id` names."""

    __tablename__ = "credentials"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    username: Mapped[str] = mapped_column(String(255))
    password_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    enable_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(64))
    priority: Mapped[int] = mapped_column(default=100)
    success_count: Mapped[int] = mapped_column(default=0)
    failure_count: Mapped[int] = mapped_column(default=0)
    last_success_at: Mapped[datetime | None]
    tags: Mapped[list[Tag]] = relationship(secondary=credential_tags, lazy="selectin")
