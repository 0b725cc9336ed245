import os
import socket
from pathlib import Path
from typing import Literal

from netraven_shared.bus_identities import site_identity
from netraven_shared.events.site_dispatch import SITE_NAME_PATTERN
from netraven_shared.settings import NetRavenSettings, SecretSettings
from pydantic import AliasChoices, Field, model_validator

_INVENTORY_ACCESS = (
    "database_url",
    "credential_keys",
    "credential_keys_file",
    "credential_key",
)


class WorkerSettings(SecretSettings):
    model_config = SecretSettings.model_config | {"populate_by_name": True}

    worker_id: str = Field(default_factory=lambda: f"worker-{socket.gethostname()}")
    health_port: int = 8102
    health_fd: int | None = (
        None  # set by the supervisor: the health port it opened for its processes
    )
    # Concurrency is processes x sessions per process: see docs/architecture.md, "Sizing workers".
    worker_processes: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    concurrency: int = Field(
        4, ge=1, validation_alias=AliasChoices("NETRAVEN_WORKER_SESSIONS", "NETRAVEN_CONCURRENCY")
    )
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_attempts: int = 4
    retry_delay_seconds: float = 5.0
    ack_wait_seconds: float = 120.0
    # Collect-command read timeout: base + per_10kb for every started 10 KB of the device's last
    # config.
    read_timeout_per_10kb: float = 2.0
    read_timeout_max: float = 600.0
    assumed_config_bytes: int = 64 * 1024
    # How long a tag set's decrypted credentials are reused: a changed credential is seen within
    # it (inventory.py).
    credential_cache_seconds: float = Field(5.0, ge=0, le=60)
    # How long the enabled config filters are reused: a saved filter applies within it (filters.py).
    config_filter_cache_seconds: float = Field(5.0, ge=0, le=60)
    # "trust-on-first-use" pins the key a device offers when nothing is pinned; "strict" connects
    # only to devices whose key an admin pre-loaded or accepted (docs/device-trust.md,
    # connection.py).
    host_key_policy: Literal["trust-on-first-use", "strict"] = "trust-on-first-use"
    # Credentials one session may try in all: the bound one, then others (see credential_plan.py).
    max_credential_attempts: int = Field(3, ge=1, le=20)
    drain_seconds: float = 30.0
    heartbeat_seconds: float = 5.0
    lock_ttl_seconds: float = 60.0
    lock_retry_seconds: float = 15.0
    circuit_failure_threshold: int = Field(5, ge=1)
    circuit_cooldown_seconds: float = 15 * 60
    # A remote site's collector (docs/remote-sites.md): it pulls only this site's sealed requests
    # and opens them with the site's private key; it has no database and no credential key.
    worker_site: str | None = Field(None, pattern=SITE_NAME_PATTERN)
    site_key_file: Path | None = None

    @property
    def bus_identity(self) -> str:
        return site_identity(self.worker_site).name if self.worker_site else "worker"

    def production_problems(self) -> list[str]:
        """A site collector needs the bus settings only: no credential key ring."""
        if self.worker_site is None:
            return super().production_problems()
        return NetRavenSettings.production_problems(self)

    @model_validator(mode="after")
    def _a_site_collector_holds_no_inventory(self) -> "WorkerSettings":
        if self.worker_site is None:
            return self
        given = [name for name in _INVENTORY_ACCESS if name in self.model_fields_set]
        if given:
            names = ", ".join(f"NETRAVEN_{name.upper()}" for name in given)
            raise ValueError(
                f"a site collector (NETRAVEN_WORKER_SITE={self.worker_site}) is given {names}: "
                "it must hold neither the database nor the credential key (every request it "
                "serves is sealed to its site key); unset them"
            )
        if self.site_key_file is None:
            raise ValueError(
                "set NETRAVEN_SITE_KEY_FILE to the site's private key "
                "(python -m netraven_worker.site_key generate)"
            )
        return self
