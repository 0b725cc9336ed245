import os

import pytest

pytest_plugins = [
    "tests.fixtures.infra",
    "tests.fixtures.api",
    "tests.fixtures.lab",
    "tests.fixtures.stack",
    "tests.fixtures.nats_cluster",
    "tests.fixtures.broker",
    "tests.fixtures.tcp_proxy",
    "tests.fixtures.ldap_server",
    "tests.fixtures.ssh_server",
    "tests.fixtures.oidc_provider",
    "tests.api.sso",
    "tests.api.ldap_sign_in",
    "tests.api.inventory_sources",
    "tests.api.compliance_setup",
    "tests.api.key_ring",
]


def pytest_configure(config: pytest.Config) -> None:
    """The test session is a development deployment (test secrets, a test bus identity): said once
    here for every settings object a test builds and every process it starts, since a service told
    nothing runs in production mode. tests/shared/test_settings.py removes it to test that
    default."""
    os.environ["NETRAVEN_MODE"] = "development"
