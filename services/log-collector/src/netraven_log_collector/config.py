from netraven_shared.settings import NetRavenSettings


class LogCollectorSettings(NetRavenSettings):
    health_port: int = 8103
    batch_size: int = 200
    # Log lines come a few at a time from many backups: gathering them briefly makes one transaction
    # of many lines instead of a transaction (and a pool ping) per line or two.
    batch_window_seconds: float = 0.1
