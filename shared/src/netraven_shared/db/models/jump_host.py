from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base, Timestamped


class JumpHost(Timestamped, Base):
    """An SSH bastion sessions reach devices through (a `direct-tcpip` channel). Its host key is
    pinned by an admin when it is created: a session checks it before sending the bastion's
    credential, and refuses a bastion that does not prove it holds that key."""

    __tablename__ = "jump_hosts"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    address: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(default=22)
    credential_id: Mapped[UUID] = mapped_column(
        ForeignKey("credentials.id", ondelete="RESTRICT"), index=True
    )
    host_key_type: Mapped[str] = mapped_column(String(50))
    host_key_public: Mapped[str] = mapped_column(Text)
    host_key_fingerprint: Mapped[str] = mapped_column(String(60))
