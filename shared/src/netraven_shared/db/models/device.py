from uuid import UUID, uuid4

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven_shared.db.base import Base, Timestamped
from netraven_shared.db.models.tag import Tag, device_tags


class Device(Timestamped, Base):
    __tablename__ = "devices"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    hostname: Mapped[str] = mapped_column(String(255), unique=True)
    ip_address: Mapped[str] = mapped_column(String(45))
    device_type: Mapped[str] = mapped_column(String(50))
    port: Mapped[int] = mapped_column(default=22)
    tags: Mapped[list[Tag]] = relationship(secondary=device_tags, lazy="selectin")
