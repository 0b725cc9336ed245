"""An inventory source: a NetBox or Nautobot whose devices the api adopts, updates and orphans.

The api alone writes it (and the devices it brings). The API token is encrypted with the credential
key ring (`key_id` names the key) and never returned. Devices that came from a source carry its id,
their id there (`devices.external_id`) and, once gone from it, `devices.orphaned_at`.
"""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from netraven_shared.db.base import Base, Timestamped, utc_now

SOURCE_KINDS = ("netbox", "nautobot")


class InventorySource(Timestamped, Base):
    __tablename__ = "inventory_sources"
    __table_args__ = (CheckConstraint("kind IN ('netbox', 'nautobot')", name="kind"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    url: Mapped[str] = mapped_column(String(500))
    token_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(64))
    verify_tls: Mapped[bool] = mapped_column(default=True)
    # {"site": [...], "role": [...], "tag": [...], "status": [...]}: the source's own filters.
    filters: Mapped[dict[str, list[str]]] = mapped_column(JSONB, default=dict)
    # Source platform → NetRaven platform; unmapped platforms take `default_platform`, else skip.
    platform_map: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    default_platform: Mapped[str | None] = mapped_column(String(50))
    # Which of the device's site, role and tags become NetRaven tags ("site", "role", "tags").
    tag_fields: Mapped[list[str]] = mapped_column(JSONB, default=list)
    # A tag given to every device of this source, so the credentials carrying it log in.
    credential_tag: Mapped[str | None] = mapped_column(String(100))
    last_sync_at: Mapped[datetime | None]
    last_summary: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    last_error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
