from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base, Timestamped


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    VIEWER = "viewer"


class User(Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.VIEWER)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Every JWT carries the version it was issued under; raising it revokes them all at once.
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set for the bootstrap admin and for passwords an admin set: the user must choose their own.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="false")
