"""The Content-Security-Policy of every answer, and the per-response nonce that lets our own inline
code run.

Scripts run only from our origin or with the response's nonce (the API docs' start-up script). Style
sheets likewise: PrimeVue's styled mode writes <style> elements at runtime, and it stamps them with
the nonce the dashboard reads from its index.html (Vite's `html.cspNonce` placeholder, replaced per
response). Style *attributes* are allowed inline (`style-src-attr`): PrimeVue sets some with
setAttribute (tooltips, overlays), no nonce can cover an attribute, and an attribute has no
selectors to probe the page with; what it could load is still held to img-src/font-src 'self'.
"""

import secrets

from starlette.requests import Request
from starlette.types import Scope

NONCE_KEY = "csp_nonce"
# Vite writes this placeholder into dist/index.html (frontend/vite.config.ts: html.cspNonce).
INDEX_NONCE_PLACEHOLDER = "NETRAVEN_CSP_NONCE"


def policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def new_nonce(scope: Scope) -> str:
    """A fresh nonce for this response, kept in the request's state for the pages that use it."""
    nonce = secrets.token_urlsafe(18)
    scope.setdefault("state", {})[NONCE_KEY] = nonce
    return nonce


def nonce_of(request: Request) -> str:
    nonce: str = getattr(request.state, NONCE_KEY)
    return nonce
