from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven_shared.db.base import Base, Timestamped
from netraven_shared.db.models.tag import Tag, device_tags


class Device(Timestamped, Base):
    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    hostname: Mapped[str] = mapped_column(String(255), unique=True)
    ip_address: Mapped[str] = mapped_column(String(253))  # an IP address or a DNS name
    device_type: Mapped[str] = mapped_column(String(50))
    port: Mapped[int] = mapped_column(default=22)
    # SSH connect/auth/read-base timeout; None means the worker's default.
    timeout_seconds: Mapped[int | None]
    # Allow SHA-1 key exchange, ssh-rsa host keys and CBC ciphers, for old gear only.
    legacy_ssh: Mapped[bool] = mapped_column(default=False, server_default="false")
    # The last reachability check, as the api recorded it from the worker's report.
    reachability_status: Mapped[str] = mapped_column(
        String(20), default="unknown", server_default="unknown", index=True
    )
    reachability_latency_ms: Mapped[float | None]
    reachability_checked_at: Mapped[datetime | None]
    reachability_error: Mapped[str | None] = mapped_column(Text)
    # The SSH host key sessions verify before any password is sent (see
    # netraven_shared/host_keys.py).
    host_key_status: Mapped[str] = mapped_column(
        String(20), default="none", server_default="none", index=True
    )
    host_key_type: Mapped[str | None] = mapped_column(String(50))
    host_key_public: Mapped[str | None] = mapped_column(Text)
    host_key_fingerprint: Mapped[str | None] = mapped_column(String(60))
    host_key_pinned_at: Mapped[datetime | None]
    # Who pinned it: "first use", "import", or the admin's username.
    host_key_pinned_by: Mapped[str | None] = mapped_column(String(255))
    # A key the device offered that is not trusted yet (changed, or strict pinning): an admin may
    # accept it.
    offered_host_key_type: Mapped[str | None] = mapped_column(String(50))
    offered_host_key_public: Mapped[str | None] = mapped_column(Text)
    offered_host_key_fingerprint: Mapped[str | None] = mapped_column(String(60))
    offered_host_key_at: Mapped[datetime | None]
    # What the driver read from the newest backup's outputs (netraven_shared/drivers/facts.py); a
    # fact a backup could not read keeps its previous value.
    model: Mapped[str | None] = mapped_column(String(100))
    serial_number: Mapped[str | None] = mapped_column(String(100))
    os_version: Mapped[str | None] = mapped_column(String(100))
    facts_updated_at: Mapped[datetime | None]
    # The credential that last logged in: later sessions try it first, and others only as the worker
    # allows.
    bound_credential_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("credentials.id", ondelete="SET NULL")
    )
    # "ssh", or "telnet" for gear that has no SSH (opt-in; refused when host-key pinning is strict).
    transport: Mapped[str] = mapped_column(String(10), default="ssh", server_default="ssh")
    # The bastion sessions go through; None: its tags' (lowest tag name first), else none.
    jump_host_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("jump_hosts.id", ondelete="RESTRICT"), index=True
    )
    # Where the device came from: an inventory source, and its id there (None: added here). A
    # device gone from its source is kept, orphaned, and left out of backup runs.
    source_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("inventory_sources.id", ondelete="SET NULL"), index=True
    )
    external_id: Mapped[str | None] = mapped_column(String(64))
    orphaned_at: Mapped[datetime | None]
    # The remote site whose collectors back it up (sites.py); None: the central workers.
    site_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("sites.id", ondelete="RESTRICT"), index=True
    )
    tags: Mapped[list[Tag]] = relationship(secondary=device_tags, lazy="selectin")
