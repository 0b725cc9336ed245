"""Every answer carries the security headers; bodies over the limit are refused before anything
reads them."""

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from netraven_api.app import create_app
from netraven_api.config import ApiSettings
from netraven_api.errors import install_error_handlers
from netraven_api.http_hardening.stack import harden

MiB = 1024 * 1024
REQUIRED_CSP = (
    "default-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "connect-src 'self'",
)
NONCE = re.compile(r"script-src 'self' 'nonce-([\w-]+)'")


def assert_hardened(response: httpx.Response) -> str:
    """The headers every answer has; returns the CSP nonce of this answer."""
    csp = response.headers["content-security-policy"]
    for directive in REQUIRED_CSP:
        assert directive in csp, directive
    assert "unsafe-eval" not in csp
    assert [d for d in csp.split("; ") if "unsafe-inline" in d] == [
        "style-src-attr 'unsafe-inline'"
    ]  # never scripts nor sheets
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert "camera=()" in response.headers["permissions-policy"]
    assert "server" not in response.headers
    match = NONCE.search(csp)
    assert match, csp
    assert f"style-src 'self' 'nonce-{match.group(1)}'" in csp
    return match.group(1)


def client_of(
    app: FastAPI, base_url: str = "http://api.test", client: tuple[str, int] = ("127.0.0.1", 1234)
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=client), base_url=base_url
    )


def app_with(settings: ApiSettings, **changes: object) -> FastAPI:
    """The api with other settings, without its lifespan: for answers that need neither database nor
    bus."""
    return create_app(settings.model_copy(update=changes))


async def chunks(size: int, chunk: int = 64 * 1024) -> AsyncIterator[bytes]:
    """A body without Content-Length: httpx sends it chunked."""
    sent = 0
    while sent < size:
        yield b" " * min(chunk, size - sent)
        sent += chunk


class TestSecurityHeaders:
    async def test_json_answers(self, anonymous: httpx.AsyncClient) -> None:
        response = await anonymous.get("/api/health")
        assert response.status_code == 200
        assert_hardened(response)
        assert "strict-transport-security" not in response.headers  # plain http

    async def test_error_answers(self, anonymous: httpx.AsyncClient) -> None:
        for path in ("/api/devices", "/api/no-such-endpoint"):
            response = await anonymous.get(path)
            assert response.status_code in (401, 404), path
            assert "error" in response.json()
            assert_hardened(response)

    async def test_an_unexpected_error_answers_500_with_the_headers(
        self, api_settings: ApiSettings
    ) -> None:
        app = FastAPI()
        harden(app, api_settings)
        install_error_handlers(app)

        @app.get("/boom")
        async def boom() -> None:
            raise RuntimeError("boom")

        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://t"
        ) as client:
            response = await client.get("/boom")
        assert response.status_code == 500
        assert_hardened(response)

    async def test_each_answer_has_its_own_nonce(self, anonymous: httpx.AsyncClient) -> None:
        first, second = [assert_hardened(await anonymous.get("/api/health")) for _ in range(2)]
        assert first != second
        assert len(first) >= 22


class TestDashboard:
    @pytest.fixture
    def dist(self, tmp_path: Path) -> Path:
        (tmp_path / "index.html").write_text(
            '<meta property="csp-nonce" nonce="NETRAVEN_CSP_NONCE">'
            '<script type="module" nonce="NETRAVEN_CSP_NONCE" src="/assets/app.js"></script>'
        )
        (tmp_path / "assets").mkdir()
        (tmp_path / "assets" / "app.js").write_text("console.log(1)")
        return tmp_path

    async def test_index_carries_the_nonce_of_its_own_policy(
        self, api_settings: ApiSettings, dist: Path
    ) -> None:
        async with client_of(app_with(api_settings, frontend_dist=dist)) as client:
            pages = [await client.get(path) for path in ("/", "/devices/42", "/index.html")]
        for page in pages:
            nonce = assert_hardened(page)
            assert "NETRAVEN_CSP_NONCE" not in page.text
            assert page.text.count(f'nonce="{nonce}"') == 2
            assert page.headers["cache-control"] == "no-store"
        assert len({assert_hardened(page) for page in pages}) == len(pages)

    async def test_files_carry_the_headers(self, api_settings: ApiSettings, dist: Path) -> None:
        async with client_of(app_with(api_settings, frontend_dist=dist)) as client:
            asset = await client.get("/assets/app.js")
        assert asset.text == "console.log(1)"
        assert_hardened(asset)


class TestApiDocs:
    async def test_docs_page_has_no_external_url_and_its_script_runs_by_nonce(
        self, anonymous: httpx.AsyncClient
    ) -> None:
        page = await anonymous.get("/api/docs")
        assert page.status_code == 200
        nonce = assert_hardened(page)
        assert not re.search(r"(https?:)?//", page.text.replace("<!--", "").replace("-->", "")), (
            "an external URL in the docs page"
        )
        scripts = re.findall(r"<script([^>]*)>", page.text)
        inline = [attributes for attributes in scripts if "src=" not in attributes]
        assert inline == [f' nonce="{nonce}"']
        assert "/api/openapi.json" in page.text

    async def test_docs_assets_load_from_the_api(self, anonymous: httpx.AsyncClient) -> None:
        page = await anonymous.get("/api/docs")
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert len(assets) == 3  # script, stylesheet, icon
        kinds = set()
        for asset in assets:
            response = await anonymous.get(asset)
            assert response.status_code == 200, asset
            assert_hardened(response)
            kinds.add(response.headers["content-type"].split(";")[0])
        assert {"text/css", "image/png"} <= kinds
        assert kinds & {"text/javascript", "application/javascript"}


class TestStrictTransportSecurity:
    async def test_direct_tls_gets_hsts(self, api_settings: ApiSettings) -> None:
        async with client_of(app_with(api_settings), base_url="https://api.test") as client:
            response = await client.get("/api/openapi.json")
        assert response.headers["strict-transport-security"].startswith("max-age=")

    async def test_forwarded_https_counts_only_from_a_trusted_proxy(
        self, api_settings: ApiSettings
    ) -> None:
        app = app_with(api_settings, trusted_proxies="10.9.8.7, 192.0.2.0/24")
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}
        answers = {}
        for proxy in ("10.9.8.7", "192.0.2.44", "10.9.8.8"):
            async with client_of(app, client=(proxy, 4443)) as client:
                answers[proxy] = await client.get("/api/openapi.json", headers=forwarded)
        assert "strict-transport-security" in answers["10.9.8.7"].headers
        assert "strict-transport-security" in answers["192.0.2.44"].headers
        assert "strict-transport-security" not in answers["10.9.8.8"].headers

    async def test_by_default_no_proxy_is_trusted(self, api_settings: ApiSettings) -> None:
        async with client_of(app_with(api_settings), client=("127.0.0.1", 4443)) as client:
            response = await client.get("/api/openapi.json", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in response.headers


class TestBodyLimit:
    async def test_a_large_declared_body_is_refused_before_authentication(
        self, anonymous: httpx.AsyncClient
    ) -> None:
        body = json.dumps({"hostname": "x" * (5 * MiB)})
        response = await anonymous.post(
            "/api/devices", content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413  # not 401: no token was given
        assert "at most 1048576 bytes" in response.json()["error"]
        assert_hardened(response)

    async def test_a_large_chunked_body_is_refused_before_authentication(
        self, anonymous: httpx.AsyncClient
    ) -> None:
        response = await anonymous.post(
            "/api/devices", content=chunks(2 * MiB), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413
        assert "too large" in response.json()["error"]

    async def test_the_handler_never_runs(self, api_settings: ApiSettings) -> None:
        app, calls = FastAPI(), []
        harden(app, api_settings)
        install_error_handlers(app)

        @app.post("/echo")
        async def echo(request: Request) -> int:
            calls.append(request.url.path)
            return len(await request.body())

        async with client_of(app) as client:
            declared = await client.post("/echo", content=b"x" * (5 * MiB))
            chunked = await client.post("/echo", content=chunks(5 * MiB))
            small = await client.post("/echo", content=b"x" * 1000)
        assert declared.status_code == 413 and declared.json()["error"].startswith(
            "request body too large"
        )
        assert declared.headers["connection"] == "close"
        assert chunked.status_code == 413 and chunked.json()["error"].startswith(
            "request body too large"
        )
        assert small.json() == 1000
        assert calls == [
            "/echo",
            "/echo",
        ]  # the chunked one was stopped while reading; the declared one never ran

    async def test_an_import_takes_a_larger_body(self, admin: httpx.AsyncClient) -> None:
        row = {"ip_address": "not an address", "device_type": "cisco_ios", "tags": ["t" * 200]}
        rows = [{"hostname": f"too-big-{n}"} | row for n in range(8000)]
        body = json.dumps({"devices": rows})
        assert len(body) > 2 * MiB
        response = await admin.post(
            "/api/devices/import", content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 200, response.text[:300]
        assert response.json()["failed"] == len(rows) and response.json()["created"] == 0
        other = await admin.post(
            "/api/tags", content=body, headers={"Content-Type": "application/json"}
        )
        assert other.status_code == 413
