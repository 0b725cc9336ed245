"""Serve the built dashboard: files as they are, and index.html for the app's own routes."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

from netraven_shared.errors import NotFound, Unavailable


def mount_dashboard(app: FastAPI, dist: Path) -> None:
    index = dist / "index.html"
    root = dist.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    async def dashboard(path: str) -> FileResponse:
        if path.startswith("api/"):
            raise NotFound(f"no such endpoint: /{path}")
        file = (dist / path).resolve()
        if path and file.is_file() and file.is_relative_to(root):
            return FileResponse(file)
        if not index.is_file():
            raise Unavailable(f"the dashboard is not built ({index} is missing): run `make run`, or `npm run build` in frontend/")
        return FileResponse(index)
