from pathlib import Path

from netraven_shared.db.freshness import DEFAULT_STALE_AFTER_HOURS
from netraven_shared.events.compliance import Severity
from netraven_shared.settings import DEVELOPMENT_PLACEHOLDER, SecretSettings
from pydantic import Field, SecretStr

from netraven_api.auth.ldap.settings import LdapSettings
from netraven_api.auth.oidc.settings import OidcSettings


class ApiSettings(SecretSettings):
    host: str = "127.0.0.1"
    port: int = 8000
    # Prometheus `/metrics` on its own port (on health_host), never on the public one; 0: none
    metrics_port: int = 8100
    jwt_secret: str = DEVELOPMENT_PLACEHOLDER
    token_minutes: int = 30
    session_max_hours: float = 12.0
    stream_recheck_seconds: float = 60.0
    admin_username: str = "admin"
    admin_password: str | None = None
    frontend_dist: Path | None = None
    result_deadline_seconds: int = 900
    reconcile_interval_seconds: float = 30.0
    gitkeeper_timeout_seconds: float = 5.0
    # Apprise URLs, comma or newline separated: one read-only channel each (docs/notifications.md).
    notify_urls: SecretStr = SecretStr("")
    notify_min_severity: Severity = "warning"
    notify_test_timeout_seconds: float = 15.0
    password_threads: int = 4
    # Freshness: a device with no good backup for this long (unless its tags say less) is stale;
    # the Prometheus freshness gauges are counted afresh this often.
    stale_after_hours: float = Field(DEFAULT_STALE_AFTER_HOURS, gt=0)
    freshness_refresh_seconds: float = Field(30.0, gt=0, le=30)
    login_backoff_after_failures: int = 5
    login_backoff_cap_seconds: int = 15 * 60
    audit_retention_days: int = Field(
        default=365, ge=0, description="0 keeps audit entries forever"
    )
    run_retention_days: int = Field(
        default=365, ge=0, description="0 keeps runs and their results forever"
    )
    local_login: bool = True
    oidc: OidcSettings = Field(default_factory=OidcSettings)
    ldap: LdapSettings = Field(default_factory=LdapSettings)
    # Request bodies: every endpoint takes at most max_body_bytes, the file imports
    # max_import_bytes.
    max_body_bytes: int = 1024 * 1024
    max_import_bytes: int = 20 * 1024 * 1024
    # Comma-separated addresses or networks whose X-Forwarded-Proto/-For are believed (the TLS
    # proxy).
    trusted_proxies: str = ""

    def secret_fields(self) -> dict[str, str]:
        return super().secret_fields() | {"jwt_secret": self.jwt_secret}
