"""Serve the built dashboard: files as they are, and index.html for the app's own routes.

index.html carries the response's CSP nonce in place of Vite's placeholder: Vite stamps it on the
page's script and stylesheet tags and on a `<meta property="csp-nonce">` that PrimeVue's runtime
styles read.
"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from netraven_shared.errors import NotFound, Unavailable

from netraven_api.http_hardening.content_security_policy import INDEX_NONCE_PLACEHOLDER, nonce_of


def mount_dashboard(app: FastAPI, dist: Path) -> None:
    index = dist / "index.html"
    root = dist.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    async def dashboard(path: str, request: Request) -> Response:
        if path.startswith("api/"):
            raise NotFound(f"no such endpoint: /{path}")
        file = (dist / path).resolve()
        if path and file.is_file() and file.is_relative_to(root) and file != index.resolve():
            return FileResponse(file)
        if not index.is_file():
            raise Unavailable(
                f"the dashboard is not built ({index} is missing): run `make run`, "
                "or `npm run build` in frontend/"
            )
        page = index.read_text().replace(INDEX_NONCE_PLACEHOLDER, nonce_of(request))
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})
