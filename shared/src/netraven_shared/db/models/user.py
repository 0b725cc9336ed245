from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base, Timestamped


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    VIEWER = "viewer"


class AuthSource(StrEnum):
    LOCAL = "local"
    OIDC = "oidc"
    LDAP = "ldap"


class User(Timestamped, Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("auth_source", "external_id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    # None for directory accounts (OIDC, LDAP): their password is the directory's business.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.VIEWER)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Every JWT carries the version it was issued under; raising it revokes them all at once.
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set for the bootstrap admin and for passwords an admin set: the user must choose their own.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="false")
    auth_source: Mapped[str] = mapped_column(
        String(10), default=AuthSource.LOCAL, server_default=AuthSource.LOCAL
    )
    # The directory's stable id for the account (OIDC `sub`, LDAP entry DN or GUID).
    external_id: Mapped[str | None] = mapped_column(String(255))
