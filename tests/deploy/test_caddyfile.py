"""deploy/caddy/Caddyfile adapts, as Caddy itself reads it, to both certificate modes compose can
give it."""

import json
import os
import shutil
import subprocess

import pytest

from tests.deploy.compose_file import CADDYFILE


def adapt(**environment: str) -> dict:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("no caddy binary on PATH (apt-get install caddy)")
    base = {key: value for key, value in os.environ.items() if not key.startswith("NETRAVEN_")}
    result = subprocess.run(
        [caddy, "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=base | environment,
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    config: dict = json.loads(result.stdout)
    return config


def site(config: dict) -> dict:
    (server,) = [s for s in config["apps"]["http"]["servers"].values() if s["listen"] == [":443"]]
    return server


def test_compose_defaults_use_the_internal_ca_and_proxy_to_the_api() -> None:
    config = adapt(NETRAVEN_HOSTNAME="localhost", NETRAVEN_TLS_CERT="internal", NETRAVEN_TLS_KEY="")
    (policy,) = config["apps"]["tls"]["automation"]["policies"]
    assert policy["subjects"] == ["localhost"]
    assert policy["issuers"] == [{"module": "internal"}]
    assert '"dial": "api:8000"' in json.dumps(site(config))
    assert "admin" in config and config["admin"]["disabled"] is True


def test_an_operators_certificate_is_loaded_from_its_files() -> None:
    config = adapt(
        NETRAVEN_HOSTNAME="netraven.example.org",
        NETRAVEN_TLS_CERT="/certs/n.crt",
        NETRAVEN_TLS_KEY="/certs/n.key",
    )
    (loaded,) = config["apps"]["tls"]["certificates"]["load_files"]
    assert (loaded["certificate"], loaded["key"]) == ("/certs/n.crt", "/certs/n.key")
    assert "automation" not in config["apps"]["tls"]
    assert site(config)["routes"][0]["match"] == [{"host": ["netraven.example.org"]}]


def test_the_health_check_listens_on_loopback_only() -> None:
    config = adapt(NETRAVEN_TLS_CERT="internal", NETRAVEN_TLS_KEY="")
    listening = {
        address
        for server in config["apps"]["http"]["servers"].values()
        for address in server["listen"]
    }
    assert listening == {":443", "127.0.0.1:8081"}
