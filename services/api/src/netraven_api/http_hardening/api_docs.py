"""/api/docs: Swagger UI 5 (it reads OpenAPI 3.1) from the fastapi-offline package, no CDN; its
start-up script runs with the CSP nonce."""

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from netraven_api.http_hardening.content_security_policy import nonce_of

DOCS_PATH = "/api/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"
# FastAPI's page has one inline script (the one that starts Swagger UI); the others load files.
INLINE_SCRIPT = "<script>"
SWAGGER_UI_FILES = Path(fastapi_offline.__file__).parent / "static"


def mount_api_docs(app: FastAPI) -> None:
    """Before the dashboard's catch-all route, which would otherwise answer these paths."""
    app.mount(ASSETS_PATH, StaticFiles(directory=SWAGGER_UI_FILES), name="swagger-ui")
    openapi_url = app.openapi_url or ""

    @app.get(DOCS_PATH, include_in_schema=False)
    async def api_docs(request: Request) -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - docs",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
            oauth2_redirect_url=None,
        )
        html = (
            bytes(page.body)
            .decode()
            .replace(INLINE_SCRIPT, f'<script nonce="{nonce_of(request)}">')
        )
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})
