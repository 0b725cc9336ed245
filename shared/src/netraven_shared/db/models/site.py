from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base, Timestamped, utc_now


class Site(Timestamped, Base):
    """A remote site whose own collectors back up its devices. The site made its X25519 key pair
    itself and gave the api only the public half: the api seals each of the site's requests to it
    (events/site_dispatch.py), so only that site's collectors can open them."""

    __tablename__ = "sites"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    # A slug: it names the site's bus subject and identity (`netraven.jobs.sites.<name>`).
    name: Mapped[str] = mapped_column(String(31), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # 32 bytes, base64
    public_key: Mapped[str] = mapped_column(String(44))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
