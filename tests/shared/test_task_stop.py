"""`stop_task` ends a loop even when a library swallowed the first cancel (Python 3.11's
`asyncio.wait_for` can, inside nats-py), which had held a service's shutdown for ever."""

import asyncio

import pytest
from netraven_shared.task_stop import stop_task


async def test_a_loop_that_swallowed_one_cancel_is_cancelled_again() -> None:
    rounds = 0

    async def refresh_forever() -> None:
        nonlocal rounds
        while True:
            rounds += 1
            try:
                await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                if rounds > 1:
                    raise
                # like wait_for when the reply arrived in the same turn: the cancel is lost

    task = asyncio.create_task(refresh_forever())
    await asyncio.sleep(0.01)
    await asyncio.wait_for(stop_task(task), timeout=5)
    assert task.cancelled() and rounds >= 2


async def test_what_the_task_failed_with_is_raised() -> None:
    async def fails() -> None:
        raise ValueError("broken refresh")

    task = asyncio.create_task(fails())
    await asyncio.sleep(0)
    with pytest.raises(ValueError, match="broken refresh"):
        await stop_task(task)


async def test_no_task_is_nothing_to_stop() -> None:
    await stop_task(None)
