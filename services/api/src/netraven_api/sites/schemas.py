from datetime import datetime
from typing import Annotated
from uuid import UUID

from netraven_shared.events.site_dispatch import SITE_NAME_PATTERN
from netraven_shared.site_seal import InvalidSiteKey, decoded_key
from pydantic import AfterValidator, BaseModel, Field, StringConstraints

# Not a site: the devices the central workers serve (a filter's value, so no site may take it).
CENTRAL = "central"


def _not_central(name: str) -> str:
    if name == CENTRAL:
        raise ValueError(f"'{CENTRAL}' names the central workers; choose another name")
    return name


SiteName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=SITE_NAME_PATTERN),
    AfterValidator(_not_central),
    Field(
        description="A slug (a lowercase letter, then up to 30 lowercase letters, digits or "
        "dashes): it names the site's bus subject and identity, `site-<name>`"
    ),
]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


def _x25519_key(text: str) -> str:
    try:
        decoded_key(text)
    except InvalidSiteKey as error:
        raise ValueError(f"public_key: {error}") from None
    return text.strip()


PublicKey = Annotated[
    str,
    AfterValidator(_x25519_key),
    Field(
        max_length=64,
        description="The site's X25519 public key, base64 of 32 bytes, as "
        "`python -m netraven_worker.site_key generate` prints it; "
        "the private key stays at the site",
    ),
]


class SiteCreate(BaseModel):
    name: SiteName
    description: Description = ""
    public_key: PublicKey


class SiteUpdate(BaseModel):
    """Only the fields sent change. A new `public_key` rotates the site's key: requests already
    dispatched stay sealed to the old one."""

    description: Description | None = None
    public_key: PublicKey | None = None


class SiteOut(BaseModel):
    id: UUID
    name: str
    description: str
    public_key: str
    public_key_fingerprint: str
    device_count: int
    # the subject its collectors pull and the bus identity they connect as
    subject: str
    bus_identity: str
    created_at: datetime
    updated_at: datetime
