"""The few SQL round trips the launcher makes, callable from sync code.

Each runs on a fresh event loop in a worker thread, so a caller may be plain sync code or sit
inside a running loop (an async pytest fixture) without "loop already running" errors.
"""

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import asyncpg

T = TypeVar("T")
CONNECT_TIMEOUT = 2.0


def accepts_connections(dsn: str) -> bool:
    return _run_blocking(_select_one, dsn)


def create_database_if_missing(dsn: str, name: str) -> bool:
    """Create database `name`; True if it was created, False if it already existed."""
    return _run_blocking(_create_database_if_missing, dsn, name)


def _run_blocking(function: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(lambda: asyncio.run(function(*args))).result()


async def _select_one(dsn: str) -> bool:
    try:
        connection = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return False
    try:
        return await connection.fetchval("SELECT 1") == 1
    finally:
        await connection.close()


async def _create_database_if_missing(dsn: str, name: str) -> bool:
    connection = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT)
    try:
        if await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        try:
            await connection.execute(f"CREATE DATABASE {_quote_identifier(name)}")
        except asyncpg.DuplicateDatabaseError:
            return False
        return True
    finally:
        await connection.close()


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
