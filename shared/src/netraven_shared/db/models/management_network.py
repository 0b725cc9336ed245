from uuid import UUID, uuid4

from sqlalchemy import String
from sqlalchemy.dialects.postgresql import CIDR
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base, Timestamped


class ManagementNetwork(Timestamped, Base):
    """A network devices may live in. When any is defined, a device's address must fall in one:
    the api refuses others (422) and the worker sends no credential outside them."""

    __tablename__ = "management_networks"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    cidr: Mapped[str] = mapped_column(CIDR, unique=True)
    description: Mapped[str] = mapped_column(String(255), default="", server_default="")
