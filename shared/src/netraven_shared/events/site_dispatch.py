"""The api's order to one remote site's collectors, and what it seals inside.

A central worker reads a device, its logins and its filters from PostgreSQL with the credential
key; a site collector has neither. So for a device of a site the api reads all of it, seals it to
the site's public key (an X25519 sealed box: `netraven_shared.site_seal`) and publishes
`SiteJobDispatched` on the site's own subject, `netraven.jobs.sites.<site>`. The envelope names the
run and the device in the clear (for acks, logs and dedup); everything a session needs is in
`sealed`, which only a holder of the site's private key can open. The results are the usual
events (`DeviceBackupStarted`, `DeviceBackedUp`, ...), so nothing downstream changes.
"""

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from netraven_shared.events import subjects
from netraven_shared.events.base import ERROR_MAX_CHARS, Hostname
from netraven_shared.events.jobs import DispatchOrder
from netraven_shared.host_keys import HostKey

SITE_NAME_PATTERN = r"^[a-z][a-z0-9-]{0,30}$"
SiteName = Annotated[str, StringConstraints(max_length=31, pattern=SITE_NAME_PATTERN)]
SEALED_MAX_CHARS = 60_000  # the jobs stream takes messages of up to 64 KiB
SECRET_MAX_CHARS = 16_384  # a private key in PEM, with room


def site_subject(site: str) -> str:
    return subjects.SITE_JOB_DISPATCHED.replace("*", site)


class SealedLogin(BaseModel):
    """One candidate credential with its secrets, as the worker's `Login` needs it."""

    credential_id: UUID
    name: str = Field(max_length=100)
    username: str = Field(max_length=255)
    password: str | None = Field(None, max_length=SECRET_MAX_CHARS)
    enable_secret: str | None = Field(None, max_length=SECRET_MAX_CHARS)
    private_key: str | None = Field(None, max_length=SECRET_MAX_CHARS)
    private_key_passphrase: str | None = Field(None, max_length=SECRET_MAX_CHARS)


class SealedFilter(BaseModel):
    """An operator's config filter that applies to the device, at its version."""

    name: str = Field(max_length=100)
    version: int = Field(ge=1)
    redactions: list[dict[str, str]] = []
    noise: list[str] = []


class SealedJumpHost(BaseModel):
    name: str = Field(max_length=100)
    address: str = Field(max_length=255)
    port: int = Field(ge=1, le=65535)
    pinned_host_key: HostKey
    login: SealedLogin


class SiteRequest(BaseModel):
    """Everything a backup or reachability check reads from PostgreSQL at a central worker, for
    one device of one run. `logins` are in the order to try them; `unreadable_credentials` says
    why there are none when the api's key ring could not decrypt them (the backup then fails
    without a session, as a central worker's does)."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "hostname": "branch-a-sw-01",
                    "address": "10.20.0.11",
                    "port": 22,
                    "device_type": "cisco_ios",
                    "transport": "ssh",
                    "legacy_ssh": False,
                    "timeout_seconds": None,
                    "last_config_bytes": 18342,
                    "pinned_host_key": {
                        "key_type": "ssh-ed25519",
                        "public_key": "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsa"
                        "bgH5C9okWi0dh2l9GKJl",
                    },
                    "bound_credential_id": "4b3a2c1d-0e9f-4a8b-8c7d-6e5f4a3b2c1d",
                    "management_networks": ["10.20.0.0/16"],
                    "logins": [
                        {
                            "credential_id": "4b3a2c1d-0e9f-4a8b-8c7d-6e5f4a3b2c1d",
                            "name": "branch-ops",
                            "username": "netraven",
                            "password": "example-password",
                            "enable_secret": "example-enable",
                            "private_key": None,
                            "private_key_passphrase": None,
                        }
                    ],
                    "filters": [
                        {
                            "name": "drop-clock",
                            "version": 2,
                            "redactions": [],
                            "noise": ["^ntp clock-period"],
                        }
                    ],
                    "jump_host": None,
                    "unreadable_credentials": None,
                }
            ]
        },
    )

    run_id: UUID
    device_id: UUID
    hostname: Hostname
    address: str = Field(max_length=253)
    port: int = Field(ge=1, le=65535)
    device_type: str = Field(max_length=50)
    transport: str = Field("ssh", max_length=10)
    legacy_ssh: bool = False
    timeout_seconds: int | None = None
    last_config_bytes: int | None = None
    pinned_host_key: HostKey | None = None
    bound_credential_id: UUID | None = None
    management_networks: list[str] = []
    logins: list[SealedLogin] = []
    filters: list[SealedFilter] = []
    jump_host: SealedJumpHost | None = None
    unreadable_credentials: str | None = Field(None, max_length=ERROR_MAX_CHARS)


class SiteJobDispatched(DispatchOrder):
    """The api's order to one site's collectors: back up (or check the reachability of) one device
    of a run PostgreSQL holds. `sealed` is the base64 of a sealed box of a `SiteRequest`, opened
    only with the site's private key; only the api publishes it, from its outbox (which holds the
    ciphertext alone), with the deterministic `event_id` of a `JobDispatched`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "3c9a1f0e-7b2d-5e4f-8a6b-1c2d3e4f5a6b",
                    "occurred_at": "2026-11-23T10:00:00Z",
                    "schema_version": 1,
                    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                    "job_id": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "trigger": "schedule",
                    "kind": "backup",
                    "site": "branch-a",
                    "sealed": "q1ZyZW1vdGUtc2l0ZS1zZWFsZWQtYm94LWV4YW1wbGU=",
                }
            ]
        }
    )
    subject = subjects.SITE_JOB_DISPATCHED

    site: SiteName
    sealed: str = Field(
        min_length=1, max_length=SEALED_MAX_CHARS, pattern=r"^[A-Za-z0-9+/]+={0,2}$"
    )

    @property
    def published_on(self) -> str:
        return site_subject(self.site)
