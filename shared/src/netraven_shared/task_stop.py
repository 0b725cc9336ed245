"""End a background task for good.

Cancelling once is not always enough on Python 3.11: a cancel that lands just as a NATS reply
arrives can be swallowed by `asyncio.wait_for` inside nats-py, and a refresh loop then runs on,
holding up its service's shutdown for ever. The cancel is repeated until the task has ended.
"""

import asyncio

RECANCEL_SECONDS = 1.0


async def stop_task(task: asyncio.Task | None) -> None:
    """Cancel `task` until it has ended; re-raise what it failed with, if not cancelled."""
    if task is None:
        return
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=RECANCEL_SECONDS)
    if not task.cancelled():
        task.result()
