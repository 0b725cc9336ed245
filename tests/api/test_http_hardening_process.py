"""From outside, on a real `python -m netraven_api`: the headers, trusted proxies and the body limit
over a socket."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from netraven_devstack.ports import free_port

from tests.api.test_http_hardening import assert_hardened
from tests.fixtures.api import CREDENTIAL_KEYS, JWT_SECRET
from tests.fixtures.infra import Infra

START_TIMEOUT_SECONDS = 60


@pytest.fixture(scope="module")
def api_url(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    env = (
        os.environ
        | infra.env_for("api")
        | {
            "NETRAVEN_MODE": "development",
            "NETRAVEN_CREDENTIAL_KEYS": CREDENTIAL_KEYS,
            "NETRAVEN_JWT_SECRET": JWT_SECRET,
            "NETRAVEN_HOST": "127.0.0.1",
            "NETRAVEN_PORT": str(port),
            "NETRAVEN_METRICS_PORT": "0",
            "NETRAVEN_TRUSTED_PROXIES": "127.0.0.1",
        }
    )
    log = tmp_path_factory.mktemp("api-process") / "api.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "netraven_api"], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                httpx.get(f"{url}/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()[
                    -2000:
                ]
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_headers_from_a_real_server(api_url: str) -> None:
    response = httpx.head(f"{api_url}/api/docs")
    assert response.status_code in (200, 405)
    assert_hardened(response)
    assert "strict-transport-security" not in response.headers


def test_https_forwarded_by_the_trusted_proxy_gets_hsts(api_url: str) -> None:
    response = httpx.get(f"{api_url}/api/health", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_a_declared_large_body_is_answered_413_before_it_is_sent(api_url: str) -> None:
    host, port = api_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST /api/devices HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5242880\r\n\r\n"
        )
        answer = _answer(connection)  # not one byte of the body was sent
    assert answer.startswith("HTTP/1.1 413 "), answer
    assert "request body too large" in answer


def _answer(connection: socket.socket) -> str:
    """Headers and JSON body may come in separate segments: read until the server is done or
    closes."""
    received = b""
    while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    return received.decode()
