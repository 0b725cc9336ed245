"""Wrap the api's whole middleware stack, Starlette's error middleware included, so a 500 gets the
headers too.

Outermost, the proxy headers: X-Forwarded-Proto/-For count only from the addresses in
NETRAVEN_TRUSTED_PROXIES (none by default; uvicorn's own handling is off, see service_app.serve).
Then the security headers, then the body limit, so even a 413 carries the headers.
"""

from collections.abc import Callable
from typing import cast

from fastapi import FastAPI
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from netraven_api.config import ApiSettings
from netraven_api.http_hardening.body_limit import BodyLimit
from netraven_api.http_hardening.security_headers import SecurityHeaders

# The endpoints that take files, with the import limit; every other endpoint takes
# NETRAVEN_MAX_BODY_BYTES.
IMPORT_ENDPOINTS = (("POST", "/api/devices/import"), ("POST", "/api/devices/host-keys"))


def harden(app: FastAPI, settings: ApiSettings) -> None:
    build: Callable[[], ASGIApp] = app.build_middleware_stack
    larger_limits = dict.fromkeys(IMPORT_ENDPOINTS, settings.max_import_bytes)
    trusted = [
        address.strip() for address in settings.trusted_proxies.split(",") if address.strip()
    ]

    def build_hardened() -> ASGIApp:
        limited = BodyLimit(build(), settings.max_body_bytes, larger_limits)
        # Uvicorn and Starlette type the same ASGI callable each in their own way.
        proxied = ProxyHeadersMiddleware(SecurityHeaders(limited), trusted_hosts=trusted)  # type: ignore[arg-type]
        return cast(ASGIApp, proxied)

    app.build_middleware_stack = build_hardened  # type: ignore[method-assign]
