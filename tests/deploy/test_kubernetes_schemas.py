"""Every object deploy/kubernetes renders (the base, the example production overlay) and every bus
Secret `netraven_devstack.kubernetes_bus` writes is valid against the Kubernetes OpenAPI schemas,
offline: `kubectl kustomize` renders, the schemas shipped by kubernetes-validate check, strictly
(an unknown field is an error)."""

import pytest
import yaml
from netraven_devstack import kubernetes_bus

from tests.deploy.kubernetes_manifests import VERSIONS, schema_problems


@pytest.mark.parametrize("version", VERSIONS)
def test_every_rendered_object_is_valid(manifests, version):
    assert len(manifests) > 30
    assert schema_problems(manifests, version) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_the_bus_secrets_are_valid(tmp_path, version):
    manifest = kubernetes_bus.write_bus_secrets(tmp_path, "netraven")
    secrets = list(yaml.safe_load_all(manifest.read_text()))
    assert len(secrets) > 5
    assert schema_problems(secrets, version) == []


def test_an_invalid_object_is_refused(rendered_kubernetes):
    """The check can fail: a Deployment with a misspelt field does not pass."""
    (worker,) = [
        item
        for item in rendered_kubernetes["base"]
        if item["kind"] == "Deployment" and item["metadata"]["name"] == "worker"
    ]
    broken = yaml.safe_load(yaml.safe_dump(worker))
    broken["spec"]["replica"] = 2
    assert schema_problems([broken], VERSIONS[-1])
