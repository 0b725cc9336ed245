import socket

from pydantic import Field

from netraven_shared.settings import SecretSettings


class WorkerSettings(SecretSettings):
    worker_id: str = Field(default_factory=lambda: f"worker-{socket.gethostname()}")
    health_port: int = 8102
    concurrency: int = 8
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_attempts: int = 4
    retry_delay_seconds: float = 5.0
    ack_wait_seconds: float = 120.0
