"""The NATS server configuration, rendered from the permission matrix in `bus_identities`.

TLS is required on the client port; the monitoring port listens where it is told (loopback for
`make run`). Every identity is an nkey user with its permissions; there is no anonymous user, so
a connection without a known nkey is refused. JetStream encrypts its store (chachapoly) and may
use at most `SERVER_MAX_FILE_STORE` of disk. A node of a cluster adds its route port and its
peers' routes (`ClusterRoutes`); every node has the same users, and the routes authenticate
with a password derived from the store key, so no other local process can join the cluster.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from netraven_shared.bus_identities import TEST_IDENTITY, identity_named
from netraven_shared.bus_permissions import permissions, test_permissions
from netraven_shared.bus_streams import SERVER_MAX_FILE_STORE, SERVER_MAX_MEMORY_STORE

from netraven_devstack.nats_routes import ROUTE_USER, route_password

if TYPE_CHECKING:
    from netraven_devstack.bus_credentials import BusCredentials

SERVER_NAME = "netraven"


@dataclass(frozen=True)
class NatsListen:
    host: str
    port: int
    monitor_port: int
    monitor_host: str = "127.0.0.1"


@dataclass(frozen=True)
class ClusterRoutes:
    """One node's place in a cluster: the port it routes on and every node's (its own is
    skipped by the server)."""

    name: str
    port: int
    peer_ports: tuple[int, ...]

    def block(self, host: str, password: str) -> dict:
        login = f"{ROUTE_USER}:{password}"
        return {
            "name": self.name,
            "host": host,
            "port": self.port,
            "authorization": {"user": ROUTE_USER, "password": password},
            "routes": [f"nats-route://{login}@{host}:{port}" for port in self.peer_ports],
        }


def _users(credentials: "BusCredentials") -> list[dict]:
    users = []
    for name in credentials.identities:
        rights = test_permissions() if name == TEST_IDENTITY else permissions(identity_named(name))
        users.append({"nkey": credentials.public_key(name), "permissions": rights})
    return users


def render_server_config(
    credentials: "BusCredentials",
    listen: NatsListen,
    store_dir: Path,
    mounted_at: Path | None = None,
    *,
    server_name: str = SERVER_NAME,
    cluster: ClusterRoutes | None = None,
) -> str:
    """The configuration text; `mounted_at` is where the server sees the credentials directory."""
    files = mounted_at or credentials.directory
    settings = {
        "server_name": server_name,
        "host": listen.host,
        "port": listen.port,
        "http": f"{listen.monitor_host}:{listen.monitor_port}",
        "max_payload": 1024 * 1024,
        "tls": {
            "cert_file": str(files / credentials.server_cert.name),
            "key_file": str(files / credentials.server_key.name),
            "timeout": 5,
        },
        "jetstream": {
            "store_dir": str(store_dir),
            "max_file_store": SERVER_MAX_FILE_STORE,
            "max_memory_store": SERVER_MAX_MEMORY_STORE,
            "cipher": "chachapoly",
            "key": credentials.encryption_key,
        },
        "authorization": {"users": _users(credentials)},
    }
    if cluster is not None:
        settings["cluster"] = cluster.block(listen.host, route_password(credentials))
    return "".join(f"{key}: {json.dumps(value, indent=2)}\n" for key, value in settings.items())
