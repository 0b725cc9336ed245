from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from netraven_shared.ssh_private_keys import PRIVATE_KEY_MAX_CHARS
from pydantic import BaseModel, Field

from netraven_api.schemas_common import Name, TagNames

Secret = Annotated[str, Field(min_length=1, max_length=1024)]
PrivateKeyText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=PRIVATE_KEY_MAX_CHARS,
        description=(
            "An SSH private key (RSA, ECDSA or Ed25519; OpenSSH or PEM format), offered before "
            "the password"
        ),
    ),
]
Passphrase = Annotated[
    str,
    Field(min_length=1, max_length=1024, description="The private key's passphrase, if it has one"),
]
AuthMethod = Literal["key", "password"]


class CredentialCreate(BaseModel):
    """A password, a private key, or both (the key is tried first, the password if it is
    refused)."""

    name: Name
    username: str = Field(min_length=1, max_length=255)
    password: Secret | None = None
    private_key: PrivateKeyText | None = None
    private_key_passphrase: Passphrase | None = None
    enable_secret: Secret | None = None
    priority: int = Field(default=100, ge=1, le=10000, description="Lower numbers are tried first")
    tags: TagNames


class CredentialUpdate(BaseModel):
    """Only the fields sent change; `enable_secret: null` removes the enable secret,
    `private_key: null` the key and its passphrase, `password: null` the password (a credential
    keeps one of the two), `tags: []` gives `default`. A new private key comes with its
    passphrase, if it has one."""

    name: Name | None = None
    username: str | None = Field(default=None, min_length=1, max_length=255)
    password: Secret | None = None
    private_key: PrivateKeyText | None = None
    private_key_passphrase: Passphrase | None = None
    enable_secret: Secret | None = None
    priority: int | None = Field(
        default=None, ge=1, le=10000, description="Lower numbers are tried first"
    )
    tags: Annotated[list[Name], Field(max_length=50)] | None = None


class CredentialOut(BaseModel):
    """Never carries the password, the private key, its passphrase or the enable secret."""

    id: UUID
    name: str
    username: str
    priority: int
    tags: list[str]
    auth_methods: list[AuthMethod] = Field(description="In the order a session tries them")
    private_key_type: str | None = Field(description="As OpenSSH names it, e.g. ssh-ed25519")
    private_key_fingerprint: str | None = Field(description="SHA256 of the public key")
    has_enable_secret: bool
    success_count: int
    failure_count: int
    last_success_at: datetime | None
