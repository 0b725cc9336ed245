import pytest

from tests.deploy.compose_file import compose_services


@pytest.fixture(scope="module")
def services() -> dict[str, dict]:
    return compose_services()
