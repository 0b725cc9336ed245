"""deploy/kubernetes holds no secret: the pods read each one from a Kubernetes Secret, under the
variable name their settings read, and the bus Secrets `netraven_devstack.kubernetes_bus` writes
are exactly those the pods mount."""

import base64
import re
import subprocess

import pytest
import yaml
from netraven_api.config import ApiSettings
from netraven_devstack import kubernetes_bus
from netraven_devstack.nats_server import find_nats_server
from netraven_gitkeeper.config import GitkeeperSettings
from netraven_log_collector.config import LogCollectorSettings
from netraven_notifier.config import NotifierSettings
from netraven_scheduler.config import SchedulerSettings
from netraven_shared.bus_identities import IDENTITIES
from netraven_shared.db.service_grants import ROLES
from netraven_shared.db.service_logins import password_variable
from netraven_worker.config import WorkerSettings

from tests.deploy.compose_file import ROOT
from tests.deploy.kubernetes_manifests import (
    IDENTITIES as POD_IDENTITIES,
)
from tests.deploy.kubernetes_manifests import (
    WORKLOADS,
    component,
    containers,
    env_of,
    of_kind,
    pod_spec,
)

SETTINGS = {
    "api": ApiSettings,
    "migrate": ApiSettings,
    "scheduler": SchedulerSettings,
    "worker": WorkerSettings,
    "log-collector": LogCollectorSettings,
    "gitkeeper": GitkeeperSettings,
    "notifier": NotifierSettings,
}
SECRET_SETTINGS = {
    "credential_keys",
    "credential_key",
    "jwt_secret",
    "admin_password",
    "database_url",
    "notify_urls",
}
PASSWORD_IN_URL = re.compile(r"://[^/@\s]+:[^/@\s]+@")
DOCS = ROOT / "docs" / "kubernetes.md"


def _variable(setting: str) -> str:
    return f"NETRAVEN_{setting.upper()}"


def _service_containers(manifests: list[dict]):
    for workload in of_kind(manifests, *WORKLOADS):
        if component(workload) != "nats":
            (container,) = containers(workload)
            yield component(workload), workload, container


def _secret_names(manifests: list[dict]) -> set[str]:
    names = set()
    for workload in of_kind(manifests, *WORKLOADS):
        for volume in pod_spec(workload)["volumes"]:
            if "secret" in volume:
                names.add(volume["secret"]["secretName"])
        for container in containers(workload):
            names |= {
                s["secretRef"]["name"] for s in container.get("envFrom", []) if "secretRef" in s
            }
            names |= {
                v["valueFrom"]["secretKeyRef"]["name"]
                for v in container.get("env", [])
                if "secretKeyRef" in v.get("valueFrom", {})
            }
    return names


class TestNoSecretInTheManifests:
    def test_no_secret_object(self, manifests):
        assert of_kind(manifests, "Secret") == []

    def test_every_secret_setting_comes_from_a_secret(self, manifests):
        for name, _, container in _service_containers(manifests):
            for variable, entry in env_of(container).items():
                secret = variable in {_variable(s) for s in SECRET_SETTINGS} or re.fullmatch(
                    r"NETRAVEN_DB_PASSWORD_\w+", variable
                )
                if secret:
                    assert "value" not in entry, (name, variable)
                    assert "secretKeyRef" in entry["valueFrom"], (name, variable)

    def test_secret_files_are_readable_by_the_pods_group_only(self, manifests):
        for workload in of_kind(manifests, *WORKLOADS):
            for volume in pod_spec(workload)["volumes"]:
                if "secret" in volume:
                    assert volume["secret"]["defaultMode"] == 0o440, component(workload)

    def test_no_literal_value_holds_a_password(self, manifests):
        literals = [
            entry["value"]
            for _, _, container in _service_containers(manifests)
            for entry in container.get("env", [])
            if "value" in entry
        ] + [
            value for config in of_kind(manifests, "ConfigMap") for value in config["data"].values()
        ]
        assert literals
        assert not [value for value in literals if PASSWORD_IN_URL.search(value)]


class TestTheVariablesTheServicesRead:
    def test_each_variable_is_a_setting_of_its_service(self, manifests):
        for name, _, container in _service_containers(manifests):
            fields = {_variable(field) for field in SETTINGS[name].model_fields}
            logins = (
                {password_variable(service) for service in ROLES} if name == "migrate" else set()
            )
            assert set(env_of(container)) <= fields | logins, name

    def test_migrate_sets_every_services_login_password(self, manifests):
        (job,) = of_kind(manifests, "Job")
        (container,) = containers(job)
        assert {password_variable(service) for service in ROLES} <= set(env_of(container))
        owner = env_of(container)["NETRAVEN_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        assert owner == {"name": "netraven-database", "key": "owner-url"}

    def test_each_service_connects_with_its_own_database_url(self, manifests):
        for name, _, container in _service_containers(manifests):
            if name == "migrate":
                continue
            reference = env_of(container)["NETRAVEN_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
            assert reference == {"name": "netraven-database", "key": f"{name}-url"}

    def test_the_credential_key_ring_reaches_only_the_services_that_use_it(self, manifests):
        holding = {
            name
            for name, _, container in _service_containers(manifests)
            if "NETRAVEN_CREDENTIAL_KEYS" in env_of(container)
        }
        assert holding == {"api", "migrate", "worker", "notifier"}

    def test_every_secret_is_documented(self, manifests):
        text = DOCS.read_text()
        for secret in _secret_names(manifests):
            if not secret.startswith("netraven-bus-"):
                assert f"`{secret}`" in text, secret


class TestTheBusSecrets:
    @pytest.fixture(scope="class")
    def written(self, tmp_path_factory) -> dict[str, dict]:
        directory = tmp_path_factory.mktemp("bus")
        manifest = kubernetes_bus.write_bus_secrets(directory, "netraven")
        assert manifest.stat().st_mode & 0o077 == 0
        return {s["metadata"]["name"]: s for s in yaml.safe_load_all(manifest.read_text())}

    def test_one_per_identity_and_the_servers(self, written):
        expected = {kubernetes_bus.identity_secret_name(name) for name in IDENTITIES}
        assert set(written) == expected | {kubernetes_bus.SERVER_SECRET}

    def test_each_pod_mounts_its_identitys_seed_and_the_ca(self, manifests, written):
        for name, workload, container in _service_containers(manifests):
            identity = POD_IDENTITIES[name]
            (bus,) = [v for v in pod_spec(workload)["volumes"] if v["name"] == "bus"]
            secret = written[bus["secret"]["secretName"]]
            assert secret["metadata"]["name"] == kubernetes_bus.identity_secret_name(identity)
            (mount,) = [m for m in container["volumeMounts"] if m["name"] == "bus"]
            nkey = env_of(container)["NETRAVEN_NATS_NKEY"]["value"]
            assert nkey == f"{mount['mountPath']}/{identity}.nk"
            assert {f"{identity}.nk", "ca.pem"} == set(secret["data"])

    def test_the_nats_nodes_mount_the_server_configuration(self, manifests, written):
        (nats,) = [s for s in of_kind(manifests, "StatefulSet") if component(s) == "nats"]
        (config,) = [v for v in pod_spec(nats)["volumes"] if v["name"] == "config"]
        assert config["secret"]["secretName"] == kubernetes_bus.SERVER_SECRET
        (container,) = containers(nats)
        (mount,) = [m for m in container["volumeMounts"] if m["name"] == "config"]
        assert container["args"][:2] == ["-c", f"{mount['mountPath']}/nats-server.conf"]
        assert mount["mountPath"] == str(kubernetes_bus.CONFIG_DIR)
        assert nats["metadata"]["name"] == kubernetes_bus.STATEFUL_SET
        assert nats["spec"]["serviceName"] == kubernetes_bus.ROUTES_SERVICE
        assert nats["spec"]["replicas"] == kubernetes_bus.NODES

    def test_nats_server_accepts_the_configuration_of_a_three_node_jetstream_cluster(
        self, written, tmp_path
    ):
        files = {
            key: base64.b64decode(value)
            for key, value in written[kubernetes_bus.SERVER_SECRET]["data"].items()
        }
        text = files["nats-server.conf"].decode()
        assert "jetstream" in text and '"cipher": "chachapoly"' in text
        routes = re.findall(r"@([\w.-]+):6222", text)
        assert routes == kubernetes_bus.node_hosts()
        assert len(routes) == 3
        for key, value in files.items():
            (tmp_path / key).write_bytes(value)
        local = text.replace(str(kubernetes_bus.CONFIG_DIR), str(tmp_path)).replace(
            str(kubernetes_bus.STORE_DIR), str(tmp_path / "jetstream")
        )
        (tmp_path / "nats-server.conf").write_text(local)
        result = subprocess.run(
            [str(find_nats_server()), "-t", "-c", str(tmp_path / "nats-server.conf")],
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
