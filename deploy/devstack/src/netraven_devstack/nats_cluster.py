"""A JetStream cluster of `size` nats-server nodes on loopback, each an `EmbeddedNats` with its own
client, monitoring and route ports and its own store, all with the same users.

`with NatsCluster(root, credentials) as cluster:` gives the comma-separated `cluster.url` that
NETRAVEN_NATS_URL takes; the clients learn the other nodes from whichever they reach first.
"""

from collections.abc import Callable
from pathlib import Path

from netraven_devstack.bus_credentials import BusCredentials
from netraven_devstack.lifecycle import StartStop
from netraven_devstack.nats_config import ClusterRoutes
from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import free_port

CLUSTER_NAME = "netraven"


class NatsCluster(StartStop):
    def __init__(
        self,
        root: Path,
        credentials: BusCredentials | None,
        *,
        size: int = 3,
        pick_port: Callable[[], int] = free_port,
    ) -> None:
        route_ports = tuple(pick_port() for _ in range(size))
        self.nodes = [
            EmbeddedNats(
                store_dir=root / f"nats-{index + 1}",
                port=pick_port(),
                monitor_port=pick_port(),
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
