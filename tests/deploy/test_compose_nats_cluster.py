"""docker-compose.yml's nats-cluster profile: three NATS nodes in one JetStream cluster, every
stream in 3 copies, and no way to start half of it.

The compose binary renders the file (as `docker compose config` does) with and without the profile;
the nodes' configuration is the one `bus-credentials` writes, checked by nats-server itself.
"""

import os
import re
import subprocess

import pytest
from netraven_devstack import bus_credentials
from netraven_devstack.nats_routes import ROUTE_PORT
from netraven_devstack.nats_server import find_nats_server

from tests.deploy.compose_file import ENV_EXAMPLE, PYTHON_SERVICES, render_compose

CLUSTER_ENV = {
    "COMPOSE_PROFILES": "nats-cluster",
    "NETRAVEN_NATS_CONFIG": "nats-cluster.conf",
    "NETRAVEN_STREAM_REPLICAS": "3",
}
NODES = ("nats", "nats-2", "nats-3")
GUARD_MESSAGE = "profile nats-cluster: set NETRAVEN_NATS_CONFIG=nats-cluster.conf"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> dict[str, dict]:
    return render_compose(tmp_path_factory.mktemp("cluster"), CLUSTER_ENV)


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> dict[str, dict]:
    return render_compose(tmp_path_factory.mktemp("single"), {})


def _route_names(services: dict[str, dict]) -> list[str]:
    """The node names the bus-credentials one-shot writes the routes for."""
    command = services["bus-credentials"]["command"]
    return command[command.index("--cluster") + 1].split(",")


def _node_names(services: dict[str, dict]) -> set[str]:
    """The names each node answers to on `data`, besides `nats`."""
    return {
        name
        for node in NODES
        for name in [node, *(services[node]["networks"]["data"].get("aliases") or [])]
        if name != "nats"
    }


def _guard_script(service: dict) -> str:
    shell, flag, script = service["command"]
    assert (shell, flag) == ("sh", "-c")
    return script.replace("$$", "$")


class TestWithoutTheProfile:
    def test_one_node_with_its_single_configuration_and_one_copy(self, single):
        assert not set(single) & {"nats-2", "nats-3"}
        assert single["nats"]["command"] == ["-c", "/bus/nats-server.conf"]
        assert single["worker"]["environment"]["NETRAVEN_STREAM_REPLICAS"] == "1"


class TestTheProfile:
    def test_three_nodes_on_the_internal_network_answering_to_nats(self, cluster):
        assert set(NODES) <= set(cluster)
        for node in NODES:
            assert list(cluster[node]["networks"]) == ["data"], node
        for node in NODES[1:]:
            assert "nats" in cluster[node]["networks"]["data"]["aliases"]
        assert cluster["nats"]["command"] == ["-c", "/bus/nats-cluster.conf"]

    def test_the_routes_name_exactly_the_three_nodes(self, cluster):
        routes = _route_names(cluster)
        assert len(routes) == 3
        assert set(routes) == _node_names(cluster)

    def test_each_node_has_its_own_name_and_its_own_store(self, cluster):
        names = {cluster[node]["environment"]["NATS_SERVER_NAME"] for node in NODES[1:]}
        assert names == {"nats-2", "nats-3"}
        stores = [
            volume["source"]
            for node in NODES
            for volume in cluster[node]["volumes"]
            if volume["target"] == "/data"
        ]
        assert len(set(stores)) == 3

    def test_every_service_keeps_three_copies_of_each_stream(self, cluster):
        bus_services = (PYTHON_SERVICES - {"bus-credentials", "lab"}) & set(cluster)
        assert bus_services >= {"api", "worker", "gitkeeper", "migrate"}
        for name in bus_services:
            assert cluster[name]["environment"]["NETRAVEN_STREAM_REPLICAS"] == "3", name

    def test_the_env_example_names_all_three_settings(self):
        text = ENV_EXAMPLE.read_text()
        for key, value in CLUSTER_ENV.items():
            assert re.search(rf"^# {key}={re.escape(value)}$", text, re.MULTILINE), key


class TestHalfAClusterRefusesToStart:
    """A node started by the profile without the cluster configuration on `nats` would be a
    second bus under the same name."""

    @pytest.mark.parametrize(
        "settings",
        [
            {},
            {"NETRAVEN_NATS_CONFIG": "nats-server.conf", "NETRAVEN_STREAM_REPLICAS": "3"},
            {"NETRAVEN_NATS_CONFIG": "nats-cluster.conf", "NETRAVEN_STREAM_REPLICAS": "1"},
        ],
    )
    def test_a_node_refuses_without_both_settings(self, cluster, settings):
        environment = {"PATH": os.environ["PATH"], "NATS_SERVER_NAME": "nats-2", **settings}
        result = subprocess.run(
            ["sh", "-c", _guard_script(cluster["nats-2"])],
            env=environment,
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 1
        assert GUARD_MESSAGE in result.stderr

    def test_with_both_it_runs_nats_server_on_the_cluster_configuration(self, cluster, tmp_path):
        server = find_nats_server()
        environment = {
            "PATH": f"{server.parent}:{os.environ['PATH']}",
            "NATS_SERVER_NAME": "nats-2",
            "NETRAVEN_NATS_CONFIG": "nats-cluster.conf",
            "NETRAVEN_STREAM_REPLICAS": "3",
        }
        # The real server, without the bus volume: it goes as far as looking for the file.
        result = subprocess.run(
            ["sh", "-c", _guard_script(cluster["nats-2"])],
            env=environment,
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert GUARD_MESSAGE not in result.stderr
        assert "/bus/nats-cluster.conf" in result.stdout + result.stderr


class TestTheGeneratedClusterConfiguration:
    def test_nats_server_accepts_it_with_the_routes_to_the_three_nodes(self, cluster, tmp_path):
        command = cluster["bus-credentials"]["command"]
        arguments = command[command.index("netraven_devstack.bus_credentials") + 1 :]
        arguments[0] = str(tmp_path)
        arguments[arguments.index("--store-dir") + 1] = str(tmp_path / "jetstream")
        bus_credentials.main(arguments)
        text = (tmp_path / "nats-cluster.conf").read_text()
        assert text.startswith((tmp_path / "nats-server.conf").read_text())
        routes = re.findall(r"nats-route://route:[^@\"]+@([\w-]+):(\d+)", text)
        assert routes == [(node, str(ROUTE_PORT)) for node in _route_names(cluster)]
        assert (tmp_path / "nats-cluster.conf").stat().st_mode & 0o077 == 0
        result = subprocess.run(
            [str(find_nats_server()), "-t", "-c", str(tmp_path / "nats-cluster.conf")],
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr

    def test_rerunning_keeps_the_route_password(self, tmp_path):
        arguments = [str(tmp_path), "--cluster", "a,b,c"]
        bus_credentials.main(arguments)
        first = (tmp_path / "nats-cluster.conf").read_text()
        bus_credentials.main(arguments)
        assert (tmp_path / "nats-cluster.conf").read_text() == first
