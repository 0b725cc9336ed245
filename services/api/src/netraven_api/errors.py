"""Every error leaves the api as `{"error": "...", "detail": ...}` with a 4xx/5xx status."""

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from netraven_shared.errors import NetRavenError

log = structlog.get_logger()


def _body(error: str, detail: object = None) -> dict:
    return {"error": error, "detail": detail}


def _validation_detail(error: RequestValidationError) -> list[dict]:
    return [
        {"field": ".".join(str(part) for part in e["loc"] if part != "body"), "message": e["msg"]}
        for e in error.errors()
    ]


def _database_error(error: DBAPIError) -> JSONResponse | None:
    """Input PostgreSQL refuses is the caller's fault, whichever endpoint let it through.

    SQLSTATE class 22 (data exception: a NUL byte, a number out of range) is a 422, and a unique
    violation (two callers racing for one name) a 409; anything else stays a server error.
    """
    sqlstate = str(getattr(error.orig, "sqlstate", None) or "")
    if sqlstate.startswith("22"):
        message = "invalid request: a value the database cannot store (out of range, or a NUL character)"
        return JSONResponse(_body(message), status_code=422)
    if sqlstate == "23505":
        return JSONResponse(_body("conflict: that already exists (another request created it first)"), status_code=409)
    return None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NetRavenError)
    async def netraven_error(_: Request, error: NetRavenError) -> JSONResponse:
        return JSONResponse(_body(error.message, error.detail), status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(_body("invalid request", _validation_detail(error)), status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse(_body(str(error.detail)), status_code=error.status_code, headers=error.headers)

    @app.exception_handler(DBAPIError)
    async def database_error(_: Request, error: DBAPIError) -> JSONResponse:
        response = _database_error(error)
        if response is None:
            raise error
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("api.unexpected_error", path=request.url.path)
        return JSONResponse(_body("internal error; the api log has the details"), status_code=500)
