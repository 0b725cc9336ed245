"""deploy/kubernetes' NetworkPolicies: everything denied but what the services need. The worker
alone reaches the devices, the notifier only notification services, the others only DNS, NATS and
PostgreSQL; from outside, only the ingress controller (to the api) and Prometheus (to the metrics
ports) get in."""

import ipaddress

import pytest

from tests.deploy.kubernetes_manifests import (
    COMPONENT,
    METRICS_PORTS,
    WORKLOADS,
    component,
    of_kind,
    pod_labels,
    policies_for,
)

NATS = {"app.kubernetes.io/name": "netraven", COMPONENT: "nats"}
DEVICE_PORTS = {22, 830, 443}
# With the components: gitkeeper pushes to its git servers (git-mirror), the api asks the
# identity provider or directory server (sign-in); each to its own servers only.
COMPONENT_PORTS = {"gitkeeper": {22, 443}, "api": {443, 636, 389}}
NOTIFICATION_PORTS = {443, 465, 587, 25}
MONITORING = "monitoring"


def _pods(manifests: list[dict]) -> dict[str, dict[str, str]]:
    return {component(w): pod_labels(w) for w in of_kind(manifests, *WORKLOADS)}


def _ports(rule: dict) -> set[int]:
    return {port["port"] for port in rule.get("ports", [])}


def _is_nats(peer: dict) -> bool:
    return (
        "namespaceSelector" not in peer and peer.get("podSelector", {}).get("matchLabels") == NATS
    )


def _is_dns(peer: dict) -> bool:
    return peer.get("podSelector", {}).get("matchLabels") == {"k8s-app": "kube-dns"}


def _outside_blocks(manifests: list[dict], labels: dict[str, str], port: int) -> list:
    """The address blocks outside the cluster a pod may reach on `port`."""
    return [
        ipaddress.ip_network(peer["ipBlock"]["cidr"])
        for rule in policies_for(manifests, labels, "egress")
        if port in _ports(rule)
        for peer in rule["to"]
        if "ipBlock" in peer
    ]


class TestDefaultDeny:
    def test_everything_is_denied_unless_allowed(self, manifests):
        (deny,) = [
            p
            for p in of_kind(manifests, "NetworkPolicy")
            if p["metadata"]["name"] == "default-deny"
        ]
        assert deny["spec"]["podSelector"] == {}
        assert sorted(deny["spec"]["policyTypes"]) == ["Egress", "Ingress"]
        assert "ingress" not in deny["spec"] and "egress" not in deny["spec"]

    def test_every_egress_rule_names_its_ports_and_its_peers(self, manifests):
        for policy in of_kind(manifests, "NetworkPolicy"):
            for rule in policy["spec"].get("egress", []):
                assert rule.get("to") and rule.get("ports"), policy["metadata"]["name"]


class TestEgress:
    def test_every_pod_but_the_worker_and_the_notifier_only_reaches_dns_nats_and_postgres(
        self, manifests
    ):
        for name, labels in _pods(manifests).items():
            allowed = set()
            for rule in policies_for(manifests, labels, "egress"):
                for peer in rule["to"]:
                    if _is_dns(peer):
                        kind = "dns"
                    elif _is_nats(peer):
                        kind = "nats"
                    else:
                        kind = "outside"
                    allowed |= {(kind, port) for port in _ports(rule)}
            if name == "nats":
                assert allowed == {("dns", 53), ("nats", 6222)}
            elif name == "worker":
                assert allowed == {("dns", 53), ("nats", 4222), ("outside", 5432)} | {
                    ("outside", port) for port in DEVICE_PORTS
                }
            elif name in COMPONENT_PORTS:
                extra = {("outside", port) for port in COMPONENT_PORTS[name]}
                assert allowed - extra == {("dns", 53), ("nats", 4222), ("outside", 5432)}
                for port in COMPONENT_PORTS[name]:
                    blocks = _outside_blocks(manifests, labels, port)
                    assert all(block.prefixlen > 0 for block in blocks), (name, port)
            elif name == "notifier":
                assert allowed == {("dns", 53), ("nats", 4222), ("outside", 5432)} | {
                    ("outside", port) for port in NOTIFICATION_PORTS
                }
            else:
                assert allowed == {("dns", 53), ("nats", 4222), ("outside", 5432)}, name

    def test_only_the_worker_reaches_the_devices(self, manifests):
        pods = _pods(manifests)
        for port in (22, 830):
            devices = _outside_blocks(manifests, pods["worker"], port)
            assert devices, port
            for name, labels in pods.items():
                if name == "worker":
                    continue
                for block in _outside_blocks(manifests, labels, port):
                    assert block.prefixlen > 0, (name, port)
                    assert not any(block.overlaps(device) for device in devices), (name, port)

    def test_the_production_example_narrows_devices_and_database_to_their_networks(
        self, rendered_kubernetes
    ):
        production = rendered_kubernetes["production"]
        names = ("worker-devices", "database-clients", "gitkeeper-mirrors", "api-sign-in")
        for name in names:
            (policy,) = [
                p for p in of_kind(production, "NetworkPolicy") if p["metadata"]["name"] == name
            ]
            blocks = [
                peer["ipBlock"]["cidr"] for rule in policy["spec"]["egress"] for peer in rule["to"]
            ]
            assert blocks and "0.0.0.0/0" not in blocks, name


class TestIngress:
    def test_nats_takes_its_clients_and_its_own_nodes_only(self, manifests):
        rules = list(policies_for(manifests, NATS, "ingress"))
        assert sorted(port for rule in rules for port in _ports(rule)) == [4222, 6222]
        for rule in rules:
            for peer in rule["from"]:
                assert "namespaceSelector" not in peer and "ipBlock" not in peer

    @pytest.mark.parametrize(
        "name", ["api", "scheduler", "worker", "log-collector", "gitkeeper", "notifier"]
    )
    def test_from_another_namespace_only_the_ingress_controller_to_the_api_and_prometheus(
        self, manifests, name
    ):
        labels = _pods(manifests)[name]
        for rule in policies_for(manifests, labels, "ingress"):
            for peer in rule["from"]:
                assert "ipBlock" not in peer
                namespace = peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                if namespace == MONITORING:
                    assert METRICS_PORTS[name] in _ports(rule)
                    assert _ports(rule) <= set(METRICS_PORTS.values())
                else:
                    assert (name, _ports(rule)) == ("api", {8000})
