"""Keep a JetStream message ours while slow work runs on it.

Without this, work longer than the consumer's ack wait is handed to another consumer instance
while the first is still busy. With it, the ack wait only bounds how long a *crashed* consumer
holds a message, so it can stay short.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from faststream.nats import NatsMessage


@asynccontextmanager
async def kept_in_progress(message: NatsMessage, every_seconds: float) -> AsyncIterator[None]:
    async def touch() -> None:
        while True:
            await asyncio.sleep(every_seconds)
            await message.in_progress()

    toucher = asyncio.create_task(touch())
    try:
        yield
    finally:
        toucher.cancel()
        with suppress(asyncio.CancelledError):
            await toucher
