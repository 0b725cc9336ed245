from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from netraven_shared.metrics.db_pool import watch_pool
from netraven_shared.tracing.provider import trace_queries


def create_engine(database_url: str, pool_size: int = 5) -> AsyncEngine:
    engine = watch_pool(create_async_engine(database_url, pool_size=pool_size, pool_pre_ping=True))
    trace_queries(engine)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
