"""Collect what the code under test publishes, with a plain NATS subscription on the test server."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from faststream.nats import NatsBroker


@asynccontextmanager
async def captured(broker: NatsBroker, subject: str) -> AsyncIterator[list[dict]]:
    seen: list[dict] = []

    async def keep(message) -> None:
        seen.append({"subject": message.subject, **json.loads(message.data)})

    subscription = await broker.config.connection_state.connection.subscribe(subject, cb=keep)
    try:
        yield seen
    finally:
        await subscription.unsubscribe()
