from datetime import datetime
from typing import Annotated
from uuid import UUID

from netraven_shared.db.models import Device
from netraven_shared.host_keys import (
    FINGERPRINT_MAX_CHARS,
    KEY_TYPE_MAX_CHARS,
    PUBLIC_KEY_MAX_CHARS,
    HostKeyStatus,
)
from pydantic import BaseModel, Field

OPENSSH_LINE_MAX_CHARS = (
    KEY_TYPE_MAX_CHARS + PUBLIC_KEY_MAX_CHARS + 1000
)  # type, key, and a comment
KNOWN_HOSTS_MAX_CHARS = 2 * 1024 * 1024
PublicKeyLine = Annotated[
    str,
    Field(
        min_length=1,
        max_length=OPENSSH_LINE_MAX_CHARS,
        examples=["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI... core-sw-01"],
        description="An OpenSSH public key line: '<key type> <base64 key> [comment]'",
    ),
]


class OfferedHostKey(BaseModel):
    """A key the device offered that is not trusted: it differs from the pin, or strict pinning had
    none."""

    key_type: str
    fingerprint: str
    seen_at: datetime | None
    public_key: str | None = Field(
        default=None, description="The OpenSSH line; in a device's detail only"
    )


class HostKeyOut(BaseModel):
    status: HostKeyStatus
    key_type: str | None = None
    fingerprint: str | None = None
    pinned_at: datetime | None = None
    pinned_by: str | None = Field(
        default=None, description="'first use', 'import', or the admin's username"
    )
    public_key: str | None = Field(
        default=None, description="The pinned OpenSSH line; in a device's detail only"
    )
    offered: OfferedHostKey | None = None

    @classmethod
    def of(cls, device: Device, with_public_keys: bool) -> "HostKeyOut":
        offered = None
        if device.offered_host_key_fingerprint is not None:
            offered = OfferedHostKey(
                key_type=device.offered_host_key_type,
                fingerprint=device.offered_host_key_fingerprint,
                seen_at=device.offered_host_key_at,
                public_key=_line(device.offered_host_key_type, device.offered_host_key_public)
                if with_public_keys
                else None,
            )
        return cls(
            status=HostKeyStatus(device.host_key_status),
            key_type=device.host_key_type,
            fingerprint=device.host_key_fingerprint,
            pinned_at=device.host_key_pinned_at,
            pinned_by=device.host_key_pinned_by,
            public_key=_line(device.host_key_type, device.host_key_public)
            if with_public_keys
            else None,
            offered=offered,
        )


def _line(key_type: str | None, public_key: str | None) -> str | None:
    return f"{key_type} {public_key}" if key_type and public_key else None


class BoundCredential(BaseModel):
    """The credential that last logged in to the device: sessions try it first."""

    id: UUID
    name: str


class AcceptHostKey(BaseModel):
    fingerprint: str = Field(
        min_length=1,
        max_length=FINGERPRINT_MAX_CHARS,
        description="The offered key's fingerprint, as the admin saw it",
    )


class PinHostKey(BaseModel):
    public_key: PublicKeyLine


class KnownHostsIn(BaseModel):
    known_hosts: str = Field(
        min_length=1,
        max_length=KNOWN_HOSTS_MAX_CHARS,
        description="The text of an OpenSSH known_hosts file (unhashed names)",
    )


class PinnedDevice(BaseModel):
    device_id: UUID
    hostname: str
    fingerprint: str


class KnownHostsReport(BaseModel):
    pinned: list[PinnedDevice]
    unmatched: list[str] = Field(description="Host patterns of the file that name no device")
