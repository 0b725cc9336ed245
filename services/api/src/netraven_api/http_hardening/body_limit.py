"""Refuse request bodies above a size before anything reads them: before routing, authentication,
the handler.

A declared Content-Length over the limit is answered 413 at once, without calling the app. A chunked
body is counted as it arrives; the read that passes the limit raises `BodyTooLarge`, which the app's
error handlers answer 413 (FastAPI reads a route's body before it resolves the route's dependencies,
authentication included). Starlette's own RequestBodyLimitMiddleware is not used: it lets a handler
that does not read the body run to completion and only then swaps its answer for a 413.
"""

import json

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large: this endpoint takes at most {limit} bytes")


class BodyLimit:
    def __init__(
        self, app: ASGIApp, default_limit: int, larger_limits: dict[tuple[str, str], int]
    ) -> None:
        """`larger_limits`: (method, path) -> bytes, for the endpoints that import files."""
        self.app = app
        self.default_limit = default_limit
        self.larger_limits = larger_limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger_limits.get((scope["method"], scope["path"]), self.default_limit)
        if _declared_length(scope) > limit:
            await _refuse(send, BodyTooLarge(limit))
            return
        received = 0
        responded = False

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watch_send(message: Message) -> None:
            nonlocal responded
            responded = responded or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive_within_limit, watch_send)
        except BodyTooLarge as refusal:
            if responded:
                raise
            await _refuse(send, refusal)


def _declared_length(scope: Scope) -> int:
    try:
        return int(Headers(scope=scope).get("content-length", "0"))
    except ValueError:
        return 0


async def _refuse(send: Send, refusal: BodyTooLarge) -> None:
    body = json.dumps({"error": refusal.detail, "detail": None}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
