"""A JetStream cluster of `size` nats-server nodes on loopback, each an `EmbeddedNats` with its own
client, monitoring and route ports and its own store, all with the same users.

`with NatsCluster(root, credentials) as cluster:` gives the comma-separated `cluster.url` that
NETRAVEN_NATS_URL takes; the clients learn the other nodes from whichever they reach first.
`make run` starts one with NETRAVEN_DEVSTACK_NATS_CLUSTER=3 (`embedded_bus`).
"""

from collections.abc import Mapping
from pathlib import Path

from netraven_devstack.bus_credentials import BusCredentials
from netraven_devstack.lifecycle import StartStop
from netraven_devstack.nats_config import ClusterRoutes
from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import free_port

CLUSTER_NAME = "netraven"
CLUSTER_SIZE_VARIABLE = "NETRAVEN_DEVSTACK_NATS_CLUSTER"
# With fixed ports, node N takes clients on first_port + N - 1, and routes this much higher.
ROUTE_PORT_SHIFT = 1000


class NatsCluster(StartStop):
    def __init__(
        self,
        root: Path,
        credentials: BusCredentials | None,
        *,
        size: int = 3,
        first_port: int | None = None,
    ) -> None:
        """Free ports, or from `first_port` on (see ROUTE_PORT_SHIFT)."""
        if first_port is None:
            client_ports = [free_port() for _ in range(size)]
            route_ports = tuple(free_port() for _ in range(size))
        else:
            client_ports = [first_port + index for index in range(size)]
            route_ports = tuple(port + ROUTE_PORT_SHIFT for port in client_ports)
        self.nodes = [
            EmbeddedNats(
                store_dir=root / f"nats-{index + 1}",
                port=client_ports[index],
                credentials=credentials,
                server_name=f"{CLUSTER_NAME}-{index + 1}",
                cluster=ClusterRoutes(CLUSTER_NAME, route_port, route_ports),
            )
            for index, route_port in enumerate(route_ports)
        ]

    @property
    def url(self) -> str:
        return ",".join(node.url for node in self.nodes)

    def node_named(self, server_name: str) -> EmbeddedNats:
        return next(node for node in self.nodes if node.server_name == server_name)

    def start(self) -> None:
        """Every node first, then wait for each: JetStream is healthy only once a quorum of nodes
        has elected its meta leader."""
        try:
            for node in self.nodes:
                if not node.running:
                    node.launch()
            for node in self.nodes:
                node.wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def embedded_bus(
    store_dir: Path, port: int, credentials: BusCredentials, environ: Mapping[str, str]
) -> EmbeddedNats | NatsCluster:
    """`make run`'s NATS: one server in `store_dir`, or NETRAVEN_DEVSTACK_NATS_CLUSTER nodes
    beside it (in `<store_dir>-cluster/`, clients on `port` and up)."""
    raw = environ.get(CLUSTER_SIZE_VARIABLE, "1").strip() or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"netraven: {CLUSTER_SIZE_VARIABLE}={raw!r} is not a node count (1, 3, 5)")
    if int(raw) == 1:
        return EmbeddedNats(store_dir=store_dir, port=port, credentials=credentials)
    root = store_dir.with_name(f"{store_dir.name}-cluster")
    return NatsCluster(root, credentials, size=int(raw), first_port=port)
