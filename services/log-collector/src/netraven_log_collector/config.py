from netraven_shared.settings import NetRavenSettings
from pydantic import Field


class LogCollectorSettings(NetRavenSettings):
    health_port: int = 8103
    batch_size: int = 200
    # Log lines come a few at a time from many backups: gathering them briefly makes one transaction
    # of many lines instead of a transaction (and a pool ping) per line or two.
    batch_window_seconds: float = 0.1
    log_retention_days: int = Field(default=90, ge=0, description="0 keeps log lines forever")
    rejected_event_retention_days: int = Field(
        default=30, ge=0, description="0 keeps rejected events forever"
    )
