"""Hold GET /api/logs/stream open on the app itself (no HTTP client would return before it ends)
until the app ends the response: how tests see a stream being closed by the server."""

import asyncio

from fastapi import FastAPI


async def stream_until_closed(
    app: FastAPI,
    opened: asyncio.Event,
    *,
    query_string: bytes = b"",
    headers: tuple[tuple[bytes, bytes], ...] = (),
) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/logs/stream",
        "raw_path": b"/api/logs/stream",
        "root_path": "",
        "query_string": query_string,
        "headers": [(b"host", b"api.test"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("api.test", 80),
    }
    never_hangs_up, asked = asyncio.Event(), False

    async def receive() -> dict:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await never_hangs_up.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message
            opened.set()

    await app(scope, receive, send)
