"""The api serves the built dashboard, and says so plainly when there is no build."""

from pathlib import Path

import httpx
from fastapi import FastAPI
from netraven_api.errors import install_error_handlers
from netraven_api.frontend import mount_dashboard
from netraven_api.http_hardening.security_headers import SecurityHeaders


def dashboard_app(dist: Path) -> httpx.AsyncClient:
    app = FastAPI()
    app.add_middleware(SecurityHeaders)  # it gives index.html its CSP nonce
    install_error_handlers(app)
    mount_dashboard(app, dist)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://dashboard")


async def test_app_routes_get_index_and_files_are_served(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<div id=app>")
    (tmp_path / "app.js").write_text("console.log(1)")
    async with dashboard_app(tmp_path) as client:
        route = await client.get("/devices/42")
        asset = await client.get("/app.js")
    assert route.text == "<div id=app>"
    assert asset.text == "console.log(1)"


async def test_files_outside_the_build_are_never_served(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("index")
    (tmp_path / "secret.txt").write_text("secret")
    async with dashboard_app(dist) as client:
        response = await client.get("/..%2Fsecret.txt")
    assert "secret" not in response.text


async def test_a_missing_build_is_a_503_that_says_how_to_build(tmp_path: Path) -> None:
    async with dashboard_app(tmp_path / "dist") as client:
        response = await client.get("/devices")
    assert response.status_code == 503
    assert "npm run build" in response.json()["error"]
