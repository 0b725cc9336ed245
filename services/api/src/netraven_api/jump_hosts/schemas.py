from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from netraven_api.host_keys.schemas import KNOWN_HOSTS_MAX_CHARS
from netraven_api.schemas_common import Name

Address = Annotated[
    str,
    Field(
        min_length=1,
        max_length=255,
        pattern=r"^[A-Za-z0-9:][A-Za-z0-9._:-]*$",
        examples=["10.0.0.5", "bastion-1.example.net"],
        description="The bastion's IP address or DNS name, as the workers reach it",
    ),
]
Port = Annotated[int, Field(ge=1, le=65535)]
PinnedKeyText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=KNOWN_HOSTS_MAX_CHARS,
        examples=["10.0.0.5 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI..."],
        description=(
            "The bastion's host key: a known_hosts line, `ssh-keyscan` output or an OpenSSH "
            "public key line. With several keys, the strongest is pinned (Ed25519, ECDSA, RSA)"
        ),
    ),
]


class JumpHostCreate(BaseModel):
    name: Name
    address: Address
    port: Port = 22
    credential_id: UUID = Field(description="The credential that logs in to the bastion")
    host_key: PinnedKeyText


class JumpHostUpdate(BaseModel):
    """Only the fields sent change."""

    name: Name | None = None
    address: Address | None = None
    port: Port | None = None
    credential_id: UUID | None = None
    host_key: PinnedKeyText | None = None


class JumpHostCredential(BaseModel):
    id: UUID
    name: str


class PinnedJumpHostKey(BaseModel):
    key_type: str
    fingerprint: str
    public_key: str = Field(description="The pinned OpenSSH line")


class JumpHostOut(BaseModel):
    id: UUID
    name: str
    address: str
    port: int
    credential: JumpHostCredential
    host_key: PinnedJumpHostKey
    devices: list[str] = Field(description="Hostnames of the devices that name it")
    tags: list[str] = Field(description="Tags that name it (their devices use it too)")
    created_at: datetime


class JumpHostRef(BaseModel):
    """The jump host a device's sessions go through: its own, or one of its tags' (`from_tag`)."""

    id: UUID
    name: str
    from_tag: str | None = Field(
        default=None, description="The tag it comes from; null when the device names it"
    )
