from netraven_shared.db.freshness import DEFAULT_STALE_AFTER_HOURS
from netraven_shared.settings import SecretSettings
from pydantic import Field


class NotifierSettings(SecretSettings):
    health_port: int = 8105
    # The dashboard's address as people reach it (https://netraven.example.com): notifications
    # link to the device's page when set.
    public_url: str | None = None
    # How long channels and rules read from PostgreSQL are reused: a change applies within it.
    routing_cache_seconds: float = Field(5.0, ge=0, le=60)
    # One delivery: this many attempts, waiting 1, 2, 4 ... seconds (capped) between them.
    send_attempts: int = Field(3, ge=1, le=10)
    send_backoff_seconds: float = Field(1.0, ge=0, le=30)
    send_timeout_seconds: float = Field(10.0, gt=0, le=120)
    # Deliveries that failed are tried again this often, until they are this old.
    retry_sweep_seconds: float = Field(60.0, gt=0)
    retry_max_age_hours: float = Field(24.0, gt=0)
    # How often channels with a digest are checked for a period that is over.
    digest_check_seconds: float = Field(30.0, gt=0)
    # Staleness: a device with no good backup for this long (unless its tags say less).
    stale_after_hours: float = Field(DEFAULT_STALE_AFTER_HOURS, gt=0)
    stale_check_seconds: float = Field(300.0, gt=0)
    # The delivery log is pruned of notifications older than this, once an hour (0 keeps them).
    notification_retention_days: int = Field(90, ge=0)
