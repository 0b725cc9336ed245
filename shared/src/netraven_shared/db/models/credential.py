from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven_shared.db.base import Base, Timestamped
from netraven_shared.db.models.tag import Tag, credential_tags


class Credential(Timestamped, Base):
    """A login for devices sharing one of its tags: a password, an SSH private key, or both (the
    key is offered first). Secrets are encrypted (see crypto.py), all with the key of the ring
    that `key_id` names; the private key's type and public fingerprint are not secret."""

    __tablename__ = "credentials"
    __table_args__ = (
        CheckConstraint(
            "password_encrypted IS NOT NULL OR private_key_encrypted IS NOT NULL",
            name="password_or_key",
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    username: Mapped[str] = mapped_column(String(255))
    password_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    private_key_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    private_key_passphrase_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    private_key_type: Mapped[str | None] = mapped_column(String(50))
    private_key_fingerprint: Mapped[str | None] = mapped_column(String(60))
    enable_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(64))
    priority: Mapped[int] = mapped_column(default=100)
    success_count: Mapped[int] = mapped_column(default=0)
    failure_count: Mapped[int] = mapped_column(default=0)
    last_success_at: Mapped[datetime | None]
    tags: Mapped[list[Tag]] = relationship(secondary=credential_tags, lazy="selectin")
