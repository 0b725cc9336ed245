"""Every error leaves the api as `{"error": "...", "detail": ...}` with a 4xx/5xx status."""

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from netraven_shared.errors import InvalidInput, NetRavenError, TooManyRequests
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

log = structlog.get_logger()


class InvalidInputWithFields(InvalidInput):
    """A 422 whose body carries fields beside `error` and `detail` that a client acts on."""

    def __init__(self, message: str, detail: Any = None, **fields: Any) -> None:
        super().__init__(message, detail)
        self.fields = fields


class ErrorOut(BaseModel):
    """The body of every error answer; for 422, `detail` lists `{field, message}` per invalid
    input."""

    error: str
    detail: Any = None


_MEANINGS = {
    401: "Not logged in: a missing, invalid or expired bearer token, or a disabled account",
    403: "The caller's role is too low for this",
    404: "Nothing with that id",
    409: "Conflicts with what exists (a taken name, or a state that forbids it)",
    422: "Invalid input",
    413: "Too many rows in one request",
    429: "Too many failed logins for this username",
    502: "An outside system this reads (an inventory source) refused or did not answer",
    503: "A service this needs did not answer",
}
_ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a router or a route: these statuses answer with `ErrorOut`."""
    return {status: {"model": ErrorOut, "description": _MEANINGS[status]} for status in statuses}


def _with_error_schema(schema: dict) -> dict:
    """Every operation that takes input documents our 422, every one behind a token our 401."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorOut", ErrorOut.model_json_schema())
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            if operation.get("parameters") or operation.get("requestBody"):
                responses["422"] = {"description": _MEANINGS[422], "content": _ERROR_REF}
            if operation.get("security"):
                responses.setdefault("401", {"description": _MEANINGS[401], "content": _ERROR_REF})
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    return schema


def document_errors(app: FastAPI) -> None:
    """FastAPI documents 422 as its own `HTTPValidationError`; the handlers below answer
    `ErrorOut`."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _with_error_schema(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


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
        message = (
            "invalid request: a value the database cannot store (out of range, or a NUL character)"
        )
        return JSONResponse(_body(message), status_code=422)
    if sqlstate == "23505":
        return JSONResponse(
            _body("conflict: that already exists (another request created it first)"),
            status_code=409,
        )
    return None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NetRavenError)
    async def netraven_error(_: Request, error: NetRavenError) -> JSONResponse:
        fields = error.fields if isinstance(error, InvalidInputWithFields) else {}
        headers = (
            {"Retry-After": str(error.retry_after_seconds)}
            if isinstance(error, TooManyRequests)
            else None
        )
        return JSONResponse(
            _body(error.message, error.detail) | fields, status_code=error.status, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(_body("invalid request", _validation_detail(error)), status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse(
            _body(str(error.detail)), status_code=error.status_code, headers=error.headers
        )

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
