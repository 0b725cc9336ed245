"""Run NATS JetStream and PostgreSQL locally without Docker, for `make run` and the tests."""

from netraven_devstack.errors import (
    DevstackError,
    PortInUseError,
    PostgresNotFoundError,
    ServerStartError,
)
from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import ensure_port_free, free_port, port_is_free
from netraven_devstack.postgres_server import EmbeddedPostgres

__all__ = [
    "DevstackError",
    "EmbeddedNats",
    "EmbeddedPostgres",
    "PortInUseError",
    "PostgresNotFoundError",
    "ServerStartError",
    "ensure_port_free",
    "free_port",
    "port_is_free",
]
