from uuid import UUID, uuid4

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base

DEFAULT_TAG = "default"


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # The bastion its devices go through when they name none themselves.
    jump_host_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("jump_hosts.id", ondelete="RESTRICT"), index=True
    )
    # A device carrying this tag is stale after this long without a good backup (the lowest of
    # its tags'; none: NETRAVEN_STALE_AFTER_HOURS, 26).
    stale_after_hours: Mapped[int | None]


def tag_link_table(owner: str) -> Table:
    return Table(
        f"{owner}_tags",
        Base.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}s.id", ondelete="CASCADE"), primary_key=True),
        Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    )


device_tags = tag_link_table("device")
credential_tags = tag_link_table("credential")
job_tags = tag_link_table("job")
