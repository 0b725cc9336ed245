"""deploy/kubernetes/site: a remote site's collector in the site's own namespace, holding no
database login and no credential key, reaching nothing but DNS, the NATS client port and the
devices, hardened and probed as the central workers are; and the bus Secret
`netraven_devstack.kubernetes_bus --sites` writes for it is the one it mounts."""

import base64
import ipaddress
import re
from pathlib import Path

import nkeys
import pytest
import yaml
from netraven_devstack import kubernetes_bus
from netraven_shared.bus_identities import IDENTITIES, site_identity

from tests.deploy.kubernetes_manifests import (
    BASE,
    SITE,
    SITE_EXAMPLE,
    VERSIONS,
    component,
    containers,
    env_of,
    of_kind,
    pod_labels,
    pod_spec,
    policies_for,
    render,
    schema_problems,
    selects,
)

SITE_NAME = "branch-a"
SITE_SECRETS = {"netraven-site-key", kubernetes_bus.SITE_BUS_SECRET}
INVENTORY_ACCESS = re.compile(r"NETRAVEN_(DATABASE_URL|CREDENTIAL_KEY\w*|DB_\w+|JWT_SECRET)")
CENTRAL_SECRETS = ("netraven-database", "netraven-credential-keys", "netraven-jwt")
DEVICE_PORTS = {22, 830, 443}


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    return {"site": render(SITE), "example": render(SITE_EXAMPLE), "central": render(BASE)}


@pytest.fixture(params=["site", "example"])
def site_manifests(request, rendered) -> list[dict]:
    return rendered[request.param]


def _collector(manifests: list[dict]) -> tuple[dict, dict]:
    (deployment,) = of_kind(manifests, "Deployment")
    assert component(deployment) == "site-collector"
    (container,) = containers(deployment)
    return deployment, container


def _environment(manifests: list[dict]) -> dict[str, str]:
    """The variables the collector's container is given: its ConfigMaps' and its own values."""
    _, container = _collector(manifests)
    maps = {c["metadata"]["name"]: c["data"] for c in of_kind(manifests, "ConfigMap")}
    environment = {}
    for source in container["envFrom"]:
        environment |= maps[source["configMapRef"]["name"]]
    return environment | {name: entry["value"] for name, entry in env_of(container).items()}


def _mounted_secrets(manifests: list[dict]) -> dict[str, str]:
    """Each Secret the collector mounts, by its mount path."""
    deployment, container = _collector(manifests)
    volumes = {v["name"]: v for v in pod_spec(deployment)["volumes"]}
    return {
        mount["mountPath"]: volumes[mount["name"]]["secret"]["secretName"]
        for mount in container["volumeMounts"]
        if "secret" in volumes[mount["name"]]
    }


def _ports(rule: dict) -> set[int]:
    return {port["port"] for port in rule["ports"]}


class TestItRenders:
    @pytest.mark.parametrize("version", VERSIONS)
    def test_every_object_is_valid(self, site_manifests, version):
        assert of_kind(site_manifests, "Deployment", "NetworkPolicy", "PodDisruptionBudget")
        assert schema_problems(site_manifests, version) == []

    def test_the_example_is_one_namespace_of_its_own(self, rendered):
        (namespace,) = of_kind(rendered["example"], "Namespace")
        name = namespace["metadata"]["name"]
        assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
        others = [item for item in rendered["example"] if item["kind"] != "Namespace"]
        assert {item["metadata"]["namespace"] for item in others} == {name}


class TestNoInventory:
    def test_no_database_url_and_no_credential_key(self, site_manifests):
        environment = _environment(site_manifests)
        assert "NETRAVEN_HEALTH_PORT" in environment
        assert not [name for name in environment if INVENTORY_ACCESS.fullmatch(name)]

    def test_only_the_site_key_and_the_site_bus_identity_are_secrets_it_reads(self, site_manifests):
        _, container = _collector(site_manifests)
        assert not [s for s in container["envFrom"] if "secretRef" in s]
        assert not [e for e in container["env"] if "valueFrom" in e]
        assert set(_mounted_secrets(site_manifests).values()) == SITE_SECRETS
        assert of_kind(site_manifests, "Secret") == []
        text = yaml.safe_dump_all(site_manifests)
        for secret in CENTRAL_SECRETS:
            assert secret not in text

    def test_the_worker_reads_the_example_as_its_sites_collector(self, rendered, worker_settings):
        settings = worker_settings(_environment(rendered["example"]))
        assert settings.worker_site == SITE_NAME
        assert settings.bus_identity == site_identity(SITE_NAME).name
        assert settings.mode == "production"
        mounted = _mounted_secrets(rendered["example"])
        assert mounted[str(settings.site_key_file.parent)] == "netraven-site-key"
        bus = str(settings.nats_nkey.parent)
        assert mounted[bus] == kubernetes_bus.SITE_BUS_SECRET
        assert settings.nats_nkey.name == kubernetes_bus.SITE_SEED
        assert settings.nats_ca == Path(bus) / "ca.pem"

    def test_without_a_site_named_it_does_not_start_as_a_central_worker(
        self, rendered, worker_settings
    ):
        assert _environment(rendered["site"])["NETRAVEN_WORKER_SITE"] == ""
        with pytest.raises(ValueError, match="NETRAVEN_CREDENTIAL_KEYS"):
            worker_settings(_environment(rendered["site"]))


class TestAsTheCentralWorker:
    def test_the_worker_image_command_probes_and_hardening(self, site_manifests, rendered):
        deployment, container = _collector(site_manifests)
        central_workloads = of_kind(rendered["central"], "Deployment")
        (worker,) = [d for d in central_workloads if component(d) == "worker"]
        (central,) = containers(worker)
        assert container["image"].rsplit(":", 1)[0].endswith("netraven/worker")
        for key in ("command", "ports", "startupProbe", "readinessProbe", "livenessProbe"):
            assert container[key] == central[key], key
        assert container["securityContext"] == central["securityContext"]
        pod, central_pod = pod_spec(deployment), pod_spec(worker)
        for key in ("securityContext", "automountServiceAccountToken"):
            assert pod[key] == central_pod[key], key
        assert pod["terminationGracePeriodSeconds"] == central_pod["terminationGracePeriodSeconds"]
        mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
        assert {"/tmp", "/etc/netraven/drivers"} <= mounts
        for volume in pod["volumes"]:
            if "secret" in volume:
                assert volume["secret"]["defaultMode"] == 0o440

    def test_resources_and_a_disruption_budget(self, site_manifests):
        deployment, container = _collector(site_manifests)
        for kind in ("requests", "limits"):
            assert set(container["resources"][kind]) == {"cpu", "memory"}
        (budget,) = of_kind(site_manifests, "PodDisruptionBudget")
        assert selects(budget["spec"]["selector"], pod_labels(deployment))
        assert budget["spec"]["maxUnavailable"] < deployment["spec"]["replicas"]


class TestNetworkPolicy:
    def test_nothing_comes_in(self, site_manifests):
        deployment, _ = _collector(site_manifests)
        labels = pod_labels(deployment)
        selecting = [
            p
            for p in of_kind(site_manifests, "NetworkPolicy")
            if selects(p["spec"]["podSelector"], labels)
        ]
        assert any(sorted(p["spec"]["policyTypes"]) == ["Egress", "Ingress"] for p in selecting)
        assert list(policies_for(site_manifests, labels, "ingress")) == []
        # Only the collector's pods: the namespace's other pods are not denied by it.
        assert all(p["spec"]["podSelector"] != {} for p in selecting)

    def test_out_only_dns_the_bus_and_the_devices_never_postgresql(self, site_manifests):
        deployment, _ = _collector(site_manifests)
        allowed = set()
        for rule in policies_for(site_manifests, pod_labels(deployment), "egress"):
            assert rule["to"] and rule["ports"]
            for peer in rule["to"]:
                dns = peer.get("podSelector", {}).get("matchLabels") == {"k8s-app": "kube-dns"}
                assert dns or set(peer) == {"ipBlock"}, peer
                allowed |= {("dns" if dns else "outside", port) for port in _ports(rule)}
        assert allowed == {("dns", 53), ("outside", 4222)} | {
            ("outside", port) for port in DEVICE_PORTS
        }
        assert 5432 not in {port for _, port in allowed}

    def test_the_example_narrows_the_hub_and_the_devices_and_names_the_hub_nats(self, rendered):
        example = rendered["example"]
        blocks = {
            p["metadata"]["name"]: [
                ipaddress.ip_network(peer["ipBlock"]["cidr"])
                for rule in p["spec"]["egress"]
                for peer in rule["to"]
            ]
            for p in of_kind(example, "NetworkPolicy")
            if p["metadata"]["name"] in ("site-collector-bus", "site-collector-devices")
        }
        assert len(blocks) == 2
        for name, networks in blocks.items():
            assert networks and all(n.prefixlen > 0 for n in networks), name
        deployment, _ = _collector(example)
        (alias,) = pod_spec(deployment)["hostAliases"]
        assert alias["hostnames"] == ["nats"]
        assert _environment(example)["NETRAVEN_NATS_URL"] == "tls://nats:4222"
        hub = ipaddress.ip_address(alias["ip"])
        assert any(hub in network for network in blocks["site-collector-bus"])


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, dict, dict]:
    """What `kubernetes_bus --sites` writes: its directory, the central Secrets, a site's Secret."""
    directory = tmp_path_factory.mktemp("bus")
    kubernetes_bus.main([str(directory), "--sites", f"{SITE_NAME},branch-b"])
    central = {
        s["metadata"]["name"]: s
        for s in yaml.safe_load_all((directory / "bus-secrets.yaml").read_text())
    }
    manifest = kubernetes_bus.site_manifest(directory, SITE_NAME)
    assert manifest.stat().st_mode & 0o077 == 0
    return directory, central, yaml.safe_load(manifest.read_text())


class TestTheSitesBusSecret:
    def test_the_central_namespace_gets_no_sites_seed(self, written):
        _, central, _ = written
        expected = {kubernetes_bus.identity_secret_name(name) for name in IDENTITIES}
        assert set(central) == expected | {kubernetes_bus.SERVER_SECRET}

    def test_the_hubs_nats_knows_the_sites_identity(self, written):
        _, central, site = written
        seed = base64.b64decode(site["data"][kubernetes_bus.SITE_SEED]).strip()
        public_key = nkeys.from_seed(bytearray(seed)).public_key.decode()
        server = central[kubernetes_bus.SERVER_SECRET]["data"]["nats-server.conf"]
        config = base64.b64decode(server).decode()
        assert public_key in config
        assert f"workers-site-{SITE_NAME}" in config

    @pytest.mark.parametrize("version", VERSIONS)
    def test_it_is_the_secret_the_collector_mounts_in_any_namespace(
        self, written, rendered, version
    ):
        directory, central, site = written
        assert "namespace" not in site["metadata"]
        assert site["metadata"]["name"] == kubernetes_bus.SITE_BUS_SECRET
        assert set(site["data"]) == {kubernetes_bus.SITE_SEED, "ca.pem"}
        ca = central[kubernetes_bus.identity_secret_name("worker")]["data"]["ca.pem"]
        assert site["data"]["ca.pem"] == ca
        other = yaml.safe_load(kubernetes_bus.site_manifest(directory, "branch-b").read_text())
        assert other["data"][kubernetes_bus.SITE_SEED] != site["data"][kubernetes_bus.SITE_SEED]
        assert schema_problems([site], version) == []
