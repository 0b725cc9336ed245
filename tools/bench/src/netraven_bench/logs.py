"""`make bench` (logs): a page of the unified log stays fast with millions of rows.

Fills a fresh embedded PostgreSQL with N log rows, then times the api's own page queries
(`page_of_logs`, newest first, keyset on id) with the indexes, against the same queries with
index scans switched off in the same process: the ratio is what the indexes buy.
"""

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from netraven_api.logs.repository import LogFilter, page_of_logs
from netraven_devstack.ports import free_port
from netraven_devstack.postgres_server import EmbeddedPostgres
from netraven_shared.db.migrate import upgrade
from netraven_shared.db.session import create_engine, session_factory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

DEVICES = 1000
PAGE = 100
REPEATS = 15

FILL = """
INSERT INTO logs (event_id, timestamp, level, log_type, message, source, device_id, run_id, extra)
SELECT md5(g::text)::uuid,
       now() - (g || ' seconds')::interval,
       (ARRAY['debug','info','warning','error'])[1 + g % 4],
       (ARRAY['job','connection','config','system'])[1 + g % 4],
       'device ' || (g % :devices) || ': benchmark line ' || g,
       'worker',
       (:device_prefix || lpad((g % :devices)::text, 12, '0'))::uuid,
       md5((g / 50)::text)::uuid,
       '{}'::jsonb
FROM generate_series(1, :rows) AS g
"""
DEVICE_PREFIX = "00000000-0000-4000-8000-"


def device(number: int) -> uuid.UUID:
    return uuid.UUID(f"{DEVICE_PREFIX}{number:012d}")


async def median_ms(
    session: AsyncSession, query: Callable[[AsyncSession], Awaitable[object]]
) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        await query(session)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def queries(rows: int) -> dict[str, Callable[[AsyncSession], Awaitable[object]]]:
    return {
        "newest page": lambda s: page_of_logs(s, LogFilter(), None, PAGE),
        "one device's page": lambda s: page_of_logs(s, LogFilter(device_id=device(7)), None, PAGE),
        "one run's entries": lambda s: page_of_logs(
            s,
            LogFilter(run_id=uuid.UUID(bytes=bytes.fromhex("c4ca4238a0b923820dcc509a6f75849b"))),
            None,
            PAGE,
        ),
        "page half-way down": lambda s: page_of_logs(s, LogFilter(), rows // 2, PAGE),
    }


NO_INDEX_SCANS = {
    "enable_indexscan": "off",
    "enable_bitmapscan": "off",
    "enable_indexonlyscan": "off",
}


async def measure(database_url: str, rows: int) -> None:
    engine = create_engine(database_url)
    # its own connections: asyncpg caches plans per connection, so a SET on a shared one is not
    # enough
    baseline_engine = create_async_engine(
        database_url, connect_args={"server_settings": NO_INDEX_SCANS}
    )
    sessions, baseline_sessions = session_factory(engine), session_factory(baseline_engine)
    async with sessions() as session:
        started = time.perf_counter()
        await session.execute(
            text(FILL), {"rows": rows, "devices": DEVICES, "device_prefix": DEVICE_PREFIX}
        )
        await session.commit()
        await session.execute(text("ANALYZE logs"))
        print(f"filled {rows:,} log rows in {time.perf_counter() - started:.1f} s")
    print(f"{'query (limit 100)':>22} {'indexed ms':>11} {'no index ms':>12} {'ratio':>7}")
    for name, query in queries(rows).items():
        async with sessions() as session:
            indexed = await median_ms(session, query)
        async with baseline_sessions() as session:
            unindexed = await median_ms(session, query)
        print(
            f"{name:>22} {indexed:>11.2f} {unindexed:>12.2f} {unindexed / indexed:>6.0f}x",
            flush=True,
        )
    await engine.dispose()
    await baseline_engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="netraven-bench-logs-") as root,
        EmbeddedPostgres(data_dir=Path(root) / "pg", port=free_port(), fast=True) as postgres,
    ):
        upgrade(postgres.url)
        asyncio.run(measure(postgres.url, args.rows))


if __name__ == "__main__":
    main()
