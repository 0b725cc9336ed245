import os

import pytest
from netraven_worker.config import WorkerSettings

from tests.deploy.compose_file import compose_services
from tests.deploy.kubernetes_manifests import BASE, PRODUCTION, render


@pytest.fixture(scope="module")
def services() -> dict[str, dict]:
    return compose_services()


@pytest.fixture(scope="session")
def rendered_kubernetes() -> dict[str, list[dict]]:
    """The base (the defaults) and the example production overlay, each rendered once."""
    return {"base": render(BASE), "production": render(PRODUCTION)}


@pytest.fixture(params=["base", "production"])
def manifests(request, rendered_kubernetes) -> list[dict]:
    return rendered_kubernetes[request.param]


@pytest.fixture
def worker_settings(monkeypatch):
    """The worker's settings read from exactly `environment`, as the container would."""

    def read(environment: dict[str, str]) -> WorkerSettings:
        for key in list(os.environ):
            if key.startswith("NETRAVEN_"):
                monkeypatch.delenv(key)
        for key, value in environment.items():
            monkeypatch.setenv(key, value)
        return WorkerSettings()

    return read
