"""The routes of a NATS cluster whose nodes are separate hosts on one route port (the compose
profile `nats-cluster`, the Kubernetes StatefulSet): the `cluster` setting that follows
`nats_config.render_server_config`'s text.

Every node gets the same text, its name coming from `--server_name`; the routes name every node,
itself included (a server ignores the route to itself). Routes authenticate with a password
derived from the JetStream key, so nothing new is kept, and are plain TCP: keep port 6222 among
the nodes (compose's internal `data` network, Kubernetes' NetworkPolicy `nats`). Clients are never
told the nodes' own addresses (`no_advertise`): they reconnect through the name the server
certificate holds (`nats`).
"""

import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netraven_devstack.bus_credentials import BusCredentials

CLUSTER_NAME = "netraven"
ROUTE_PORT = 6222
ROUTE_USER = "route"


def route_password(credentials: "BusCredentials") -> str:
    key = credentials.encryption_key.encode()
    return hmac.new(key, b"netraven cluster routes", hashlib.sha256).hexdigest()


def render_routes(credentials: "BusCredentials", nodes: Sequence[str]) -> str:
    """The `cluster` setting of a cluster of `nodes` (host names)."""
    password = route_password(credentials)
    cluster = {
        "name": CLUSTER_NAME,
        "listen": f"0.0.0.0:{ROUTE_PORT}",
        "no_advertise": True,
        "authorization": {"user": ROUTE_USER, "password": password, "timeout": 5},
        "routes": [f"nats-route://{ROUTE_USER}:{password}@{node}:{ROUTE_PORT}" for node in nodes],
    }
    return f"cluster: {json.dumps(cluster, indent=2)}\n"
