"""Database connections in use and idle, summed over the engines a process watches.

Read from SQLAlchemy's pool every few seconds (`LiveGauges`), not on each checkout: the hot paths
stay as they are. A service of several processes adds up its live processes' pools."""

import weakref

from prometheus_client import Gauge
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

CONNECTIONS = Gauge(
    "netraven_db_pool_connections",
    "Connections of this service's database pools, by state (in_use, idle)",
    ["state"],
    multiprocess_mode="livesum",
)
SIZE = Gauge(
    "netraven_db_pool_size",
    "Configured size of this service's database pools (overflow excluded)",
    multiprocess_mode="livesum",
)

_watched: "weakref.WeakSet[AsyncEngine]" = weakref.WeakSet()


def watch_pool(engine: AsyncEngine) -> AsyncEngine:
    """Count this engine's pool in the gauges while the engine lives."""
    _watched.add(engine)
    return engine


def refresh_pool_gauges() -> None:
    pools = [pool for engine in _watched if isinstance(pool := engine.sync_engine.pool, QueuePool)]
    CONNECTIONS.labels("in_use").set(sum(pool.checkedout() for pool in pools))
    CONNECTIONS.labels("idle").set(sum(pool.checkedin() for pool in pools))
    SIZE.set(sum(pool.size() for pool in pools))
