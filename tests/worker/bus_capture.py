"""Collect what the code under test publishes, with a plain NATS subscription on the test server.
A batch of log lines (`LogLinesEmitted`) is kept as one entry per line, under its own subject."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from faststream.nats import NatsBroker
from netraven_shared.events import subjects


@asynccontextmanager
async def captured(broker: NatsBroker, subject: str) -> AsyncIterator[list[dict]]:
    seen: list[dict] = []

    async def keep(message) -> None:
        data = json.loads(message.data)
        entries = data["lines"] if message.subject == subjects.LOG_LINES_EMITTED else [data]
        seen.extend({"subject": message.subject, **entry} for entry in entries)

    subscription = await broker.config.connection_state.connection.subscribe(subject, cb=keep)
    try:
        yield seen
    finally:
        await subscription.unsubscribe()
