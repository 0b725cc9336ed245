"""Security headers on every answer: API JSON, errors (a 500 included), the dashboard's files and
the docs."""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from netraven_api.http_hardening.content_security_policy import new_nonce, policy

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
# Two years; no includeSubDomains: NetRaven cannot know what else runs under its parent domain.
HSTS = "max-age=63072000"


class SecurityHeaders:
    """HSTS only over TLS: a direct https connection, or X-Forwarded-Proto from a trusted proxy (the
    proxy headers middleware outside this one has already rewritten the scheme, or left it
    alone)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = new_nonce(scope)
        over_tls = scope["scheme"] == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy(nonce)
                for name, value in STATIC_HEADERS.items():
                    headers[name] = value
                if over_tls:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)
