import asyncio
from pathlib import Path

import httpx
import nats
import pytest
from netraven_devstack.bus_credentials import BusCredentials
from netraven_devstack.nats_cluster import CLUSTER_SIZE_VARIABLE, NatsCluster, embedded_bus
from netraven_devstack.nats_config import ClusterRoutes, NatsListen, render_server_config
from netraven_devstack.nats_server import EmbeddedNats


async def routed_to(monitor_port: int, expected: int = 2, timeout: float = 10) -> set[str]:
    """The nodes a node has routes to, once it has `expected` of them (or at the timeout)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        routez = (
            await asyncio.to_thread(httpx.get, f"http://127.0.0.1:{monitor_port}/routez")
        ).json()
        names = {route["remote_name"] for route in routez["routes"] or []}
        if len(names) >= expected or asyncio.get_running_loop().time() > deadline:
            return names
        await asyncio.sleep(0.2)


class TestClusterConfiguration:
    def test_routes_authenticate_with_a_password_from_the_store_key(self, tmp_path: Path) -> None:
        credentials = BusCredentials(tmp_path / "bus").ensure()
        routes = ClusterRoutes("netraven", 6222, (6222, 6223, 6224))
        text = render_server_config(
            credentials,
            NatsListen("127.0.0.1", 4222, 8222),
            tmp_path / "store",
            server_name="netraven-1",
            cluster=routes,
        )
        password = text.split('"password": "')[1].split('"')[0]
        assert len(password) == 64 and password not in credentials.encryption_key
        assert 'server_name: "netraven-1"' in text
        for port in routes.peer_ports:
            assert f"nats-route://route:{password}@127.0.0.1:{port}" in text


class TestCluster:
    async def test_three_nodes_form_one_cluster_that_keeps_three_replicas(
        self, tmp_path: Path
    ) -> None:
        with NatsCluster(tmp_path, credentials=None) as cluster:
            for node in cluster.nodes:
                peers = {other.server_name for other in cluster.nodes if other is not node}
                assert await routed_to(node.monitor_port) == peers
            client = await nats.connect(cluster.url.split(","))
            try:
                info = await client.jetstream().add_stream(
                    name="CLUSTERED", subjects=["clustered.>"], num_replicas=3
                )
                assert info.cluster is not None and len(info.cluster.replicas or []) == 2
            finally:
                await client.close()


class TestMakeRunsBus:
    def test_one_server_unless_told(self, tmp_path: Path) -> None:
        credentials = BusCredentials(tmp_path / "bus").ensure()
        bus = embedded_bus(tmp_path / "store", 14222, credentials, {})
        assert isinstance(bus, EmbeddedNats) and bus.port == 14222

    def test_a_cluster_on_fixed_ports_beside_the_single_store(self, tmp_path: Path) -> None:
        credentials = BusCredentials(tmp_path / "bus").ensure()
        bus = embedded_bus(tmp_path / "store", 14222, credentials, {CLUSTER_SIZE_VARIABLE: "3"})
        assert isinstance(bus, NatsCluster)
        assert [node.port for node in bus.nodes] == [14222, 14223, 14224]
        assert [node.cluster.port for node in bus.nodes if node.cluster] == [15222, 15223, 15224]
        assert {node.store_dir.parent for node in bus.nodes} == {
            (tmp_path / "store-cluster").resolve()
        }

    @pytest.mark.parametrize("size", ["0", "three", "-1"])
    def test_a_size_that_is_no_node_count_is_refused(self, tmp_path: Path, size: str) -> None:
        credentials = BusCredentials(tmp_path / "bus").ensure()
        with pytest.raises(SystemExit, match=CLUSTER_SIZE_VARIABLE):
            embedded_bus(tmp_path / "store", 14222, credentials, {CLUSTER_SIZE_VARIABLE: size})
