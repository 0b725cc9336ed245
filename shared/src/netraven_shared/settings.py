"""Settings common to every service: read from `NETRAVEN_*` environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_PLACEHOLDER = "development-only-placeholder-not-a-secret"


class NetRavenSettings(BaseSettings):
    """`nats_nkey` is the file holding this service's nkey seed (its identity on the bus) and
    `nats_ca` the certificate authority the NATS server's certificate must chain to; production
    mode refuses to start without both."""

    model_config = SettingsConfigDict(env_prefix="NETRAVEN_", extra="ignore")

    mode: Literal["development", "production"] = "development"
    database_url: str = "postgresql+asyncpg://netraven@127.0.0.1:15432/netraven"
    nats_url: str = "nats://127.0.0.1:14222"
    nats_nkey: Path | None = None
    nats_ca: Path | None = None
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"
    health_host: str = "127.0.0.1"

    def production_problems(self) -> list[str]:
        """What keeps these settings from running in production mode."""
        missing = [name for name in ("nats_nkey", "nats_ca") if getattr(self, name) is None]
        if not missing:
            return []
        names = ", ".join(f"NETRAVEN_{n.upper()}" for n in missing)
        return [f"set {names} in production mode: the bus takes no anonymous or unverified connections"]

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> "NetRavenSettings":
        if self.mode == "production" and (problems := self.production_problems()):
            raise ValueError("; ".join(problems))
        return self


class SecretSettings(NetRavenSettings):
    """Settings of a service that holds secrets: refuses placeholders in production."""

    credential_key: str = DEVELOPMENT_PLACEHOLDER

    def secret_fields(self) -> dict[str, str]:
        return {"credential_key": self.credential_key}

    def production_problems(self) -> list[str]:
        placeholders = [
            name for name, value in self.secret_fields().items() if value == DEVELOPMENT_PLACEHOLDER or len(value) < 32
        ]
        problems = super().production_problems()
        if placeholders:
            names = ", ".join(f"NETRAVEN_{n.upper()}" for n in placeholders)
            problems.insert(0, f"set {names} to a real secret of 32+ characters in production mode")
        return problems
