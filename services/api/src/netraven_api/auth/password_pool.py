"""Argon2 hashing and verification (~150 ms of CPU each) in a small, bounded thread pool.

Never on the event loop: a burst of logins would otherwise stall every other request, health
checks included. The bound keeps a flood of wrong passwords from taking every core, and the pool's
threads run at the lowest CPU priority, so when cores are scarce the event loop (and every other
service on the host) goes first and a flood of logins waits instead.
"""

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from netraven_api.auth import security

LOWEST_PRIORITY = 19
T = TypeVar("T")


def _lower_this_threads_priority() -> None:
    # On Linux a nice value belongs to a thread: this lowers the pool's threads, not the event
    # loop's.
    os.setpriority(os.PRIO_PROCESS, 0, LOWEST_PRIORITY)


def _new_pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(
        max_workers=threads, thread_name_prefix="password", initializer=_lower_this_threads_priority
    )


_pool = _new_pool(4)


def size_pool(threads: int) -> None:
    """Called once at startup with the `password_threads` setting."""
    global _pool
    _pool.shutdown(wait=False)
    _pool = _new_pool(threads)


async def _run(function: Callable[..., T], *args: object) -> T:
    return await asyncio.get_running_loop().run_in_executor(_pool, function, *args)


async def hash_password(password: str) -> str:
    return await _run(security.hash_password, password)


async def verify_password(password: str, password_hash: str) -> bool:
    return await _run(security.verify_password, password, password_hash)


async def spend_verification_time(password: str) -> None:
    await _run(security.spend_verification_time, password)
