"""Read Server-Sent Events from a stream of the app itself, then hang up.

httpx's ASGI transport waits for a response to end, and a stream never ends: this drives the app
directly and disconnects as soon as the caller has seen what it waits for.
"""

import asyncio
import json
from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import FastAPI


async def read_events(
    app: FastAPI,
    path: str,
    params: dict[str, str],
    event: str,
    enough: Callable[[list[dict]], bool],
    opened: asyncio.Event | None = None,
    timeout: float = 15,
    parse: Callable[[str], dict] | None = None,
) -> list[dict]:
    """The data (JSON) of `event` events until `enough` arrived, or what `parse` makes of each
    event's block; `opened` is set once connected."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": urlencode(params).encode(),
        "headers": [(b"host", b"api.test")],
        "client": ("127.0.0.1", 50000),
        "server": ("api.test", 80),
    }
    hung_up, asked = asyncio.Event(), False
    text, events = "", []

    async def receive() -> dict:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await hung_up.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        nonlocal text
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message
        elif message["type"] == "http.response.body":
            text += message.get("body", b"").decode()
            *blocks, text = text.split("\n\n")
            if opened is not None and any(": connected" in block for block in blocks):
                opened.set()
            named = (block for block in blocks if f"event: {event}" in block)
            events.extend((parse or _json_data)(block) for block in named)
            if enough(events):
                hung_up.set()

    async with asyncio.timeout(timeout):
        await app(scope, receive, send)
    return events


def _json_data(block: str) -> dict:
    lines = block.splitlines()
    return json.loads(
        next(line.removeprefix("data: ") for line in lines if line.startswith("data: "))
    )
