"""Settings common to every service: read from `NETRAVEN_*` environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from netraven_shared.credential_keys import KeyRing

DEVELOPMENT_PLACEHOLDER = "development-only-placeholder-not-a-secret"


class NetRavenSettings(BaseSettings):
    """`nats_nkey` is the file holding this service's nkey seed (its identity on the bus) and
    `nats_ca` the certificate authority the NATS server's certificate must chain to; production
    mode refuses to start without both. Production is the default: a service accepts an anonymous
    bus and the placeholder secrets published here only when told NETRAVEN_MODE=development."""

    # An empty variable means unset: compose passes `${NAME:-}` for what an operator may leave out.
    model_config = SettingsConfigDict(env_prefix="NETRAVEN_", extra="ignore", env_ignore_empty=True)

    mode: Literal["development", "production"] = "production"
    database_url: str = "postgresql+asyncpg://netraven@127.0.0.1:15432/netraven"
    # One server, or a cluster's servers separated by commas: the client fails over among them.
    nats_url: str = "nats://127.0.0.1:14222"
    nats_nkey: Path | None = None
    nats_ca: Path | None = None
    # Copies JetStream keeps of every stream, KV bucket and object store: 3 on a 3-node cluster.
    stream_replicas: int = Field(default=1, ge=1, le=5)
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"
    health_host: str = "127.0.0.1"
    # Operators' own driver files (*.yaml), beside the built-ins: drivers/catalog.py
    drivers_dir: Path | None = None

    @property
    def nats_servers(self) -> list[str]:
        return [url.strip() for url in self.nats_url.split(",") if url.strip()]

    def production_problems(self) -> list[str]:
        """What keeps these settings from running in production mode."""
        missing = [name for name in ("nats_nkey", "nats_ca") if getattr(self, name) is None]
        if not missing:
            return []
        names = ", ".join(f"NETRAVEN_{n.upper()}" for n in missing)
        return [
            f"set {names} in production mode: the bus takes no anonymous or unverified connections"
        ]

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> "NetRavenSettings":
        if self.mode == "production" and (problems := self.production_problems()):
            raise ValueError("; ".join(problems))
        return self


class SecretSettings(NetRavenSettings):
    """Settings of a service that holds secrets: the credential key ring, written inline
    (`credential_keys`) or in a file (`credential_keys_file`), plus the legacy single
    `credential_key` that older installations set. Production refuses placeholders and a missing
    ring."""

    credential_keys: str | None = None
    credential_keys_file: Path | None = None
    credential_key: str | None = None

    _ring: KeyRing = PrivateAttr()

    @property
    def credential_ring(self) -> KeyRing:
        """Parsed when the settings are made, so a bad key stops the start, not the first backup."""
        return self._ring

    def _load_ring(self) -> KeyRing:
        if (path := self.credential_keys_file) is not None:
            ring = KeyRing.parse(
                self._read_ring_file(path), f"NETRAVEN_CREDENTIAL_KEYS_FILE ({path})"
            )
        elif self.credential_keys:
            ring = KeyRing.parse(self.credential_keys, "NETRAVEN_CREDENTIAL_KEYS")
        else:
            return KeyRing.legacy(self.credential_key or DEVELOPMENT_PLACEHOLDER)
        return ring.plus_legacy(self.credential_key) if self.credential_key else ring

    def secret_fields(self) -> dict[str, str]:
        """The secrets set as plain strings, which must be real ones in production."""
        return {"credential_key": self.credential_key} if self.credential_key is not None else {}

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        placeholders = [
            name
            for name, value in self.secret_fields().items()
            if value == DEVELOPMENT_PLACEHOLDER or len(value) < 32
        ]
        if placeholders:
            names = ", ".join(f"NETRAVEN_{n.upper()}" for n in placeholders)
            problems.insert(0, f"set {names} to a real secret of 32+ characters in production mode")
        if not (self.credential_keys or self.credential_keys_file or self.credential_key):
            problems.insert(
                0,
                "set NETRAVEN_CREDENTIAL_KEYS (or NETRAVEN_CREDENTIAL_KEYS_FILE) "
                "to the credential key ring "
                "in production mode: it encrypts device passwords (see docs/secrets.md)",
            )
        return problems

    @model_validator(mode="after")
    def _refuse_an_unusable_ring(self) -> "SecretSettings":
        if self.credential_keys and self.credential_keys_file:
            raise ValueError(
                "set NETRAVEN_CREDENTIAL_KEYS or NETRAVEN_CREDENTIAL_KEYS_FILE, not both"
            )
        self._ring = self._load_ring()
        return self

    @staticmethod
    def _read_ring_file(path: Path) -> str:
        try:
            return path.read_text()
        except OSError as error:
            raise ValueError(
                f"NETRAVEN_CREDENTIAL_KEYS_FILE={path} cannot be read ({error.strerror})"
            ) from None
