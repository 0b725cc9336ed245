"""Keep a JetStream message ours while slow work runs on it.

Without this, work longer than the consumer's ack wait is handed to another consumer instance
while the first is still busy. With it, the ack wait only bounds how long a *crashed* consumer
holds a message, so it can stay short.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from faststream.nats import NatsMessage

from netraven_shared.task_stop import stop_task


@asynccontextmanager
async def touched_every(
    touch: Callable[[], Awaitable[None]], every_seconds: float
) -> AsyncIterator[None]:
    """Call `touch` (in-progress acks for whatever is in hand) every `every_seconds` while
    inside."""

    async def keep_touching() -> None:
        while True:
            await asyncio.sleep(every_seconds)
            await touch()

    toucher = asyncio.create_task(keep_touching())
    try:
        yield
    finally:
        await stop_task(toucher)


def kept_in_progress(
    message: NatsMessage, every_seconds: float
) -> AbstractAsyncContextManager[None]:
    return touched_every(message.in_progress, every_seconds)
