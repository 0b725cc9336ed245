"""The cluster part of a NATS server's configuration: the routes between a cluster's nodes.

Every node gets the same text, its name coming from `--server_name`; the routes name every node,
itself included (a server ignores the route to itself). Routes authenticate with one password,
kept with the bus secrets (`BusCredentials.route_password`), and are plain TCP: keep port 6222
among the nodes (docker-compose's internal `data` network, Kubernetes' NetworkPolicy `nats`).
Clients are never told the nodes' own addresses (`no_advertise`): they reconnect through the name
the server certificate holds (`nats`).
"""

import json
from collections.abc import Sequence

CLUSTER_NAME = "netraven"
ROUTE_PORT = 6222
ROUTE_USER = "route"


def render_cluster_block(nodes: Sequence[str], password: str) -> str:
    """The `cluster` setting of a cluster of `nodes` (host names), to follow
    `nats_config.render_server_config`'s text."""
    cluster = {
        "name": CLUSTER_NAME,
        "listen": f"0.0.0.0:{ROUTE_PORT}",
        "no_advertise": True,
        "authorization": {"user": ROUTE_USER, "password": password, "timeout": 5},
        "routes": [f"nats-route://{ROUTE_USER}:{password}@{node}:{ROUTE_PORT}" for node in nodes],
    }
    return f"cluster: {json.dumps(cluster, indent=2)}\n"
