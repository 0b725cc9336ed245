"""Connecting to the test database as a service's own login (`logins`, by service) or as its
owner (`owner`), for the tests of the grant matrix."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID, uuid4

import asyncpg
import pytest
from netraven_shared.db.service_logins import database_url_for, ensure_logins
from netraven_shared.db.session import create_engine, session_factory
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.infra import Infra
from tests.fixtures.stack import DATABASE_PASSWORDS


async def connect(url: str) -> asyncpg.Connection:
    parts = make_url(url)
    return await asyncpg.connect(
        host=parts.host,
        port=parts.port,
        user=parts.username,
        password=parts.password,
        database=parts.database,
    )


@asynccontextmanager
async def login_sessions(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(url, pool_size=1)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def insert_device(owner: asyncpg.Connection) -> UUID:
    device_id = uuid4()
    await owner.execute(
        (
            "INSERT INTO devices (id, hostname, ip_address, device_type, port, "
            "created_at) VALUES ($1, $2, '192.0.2.1', 'cisco_ios', 22, now())"
        ),
        device_id,
        f"roles-{device_id.hex[:8]}",
    )
    return device_id


@pytest.fixture(scope="module")
def logins(infra: Infra) -> dict[str, str]:
    asyncio.run(ensure_logins(infra.database_url, DATABASE_PASSWORDS))
    return {
        service: database_url_for(infra.database_url, service, password)
        for service, password in DATABASE_PASSWORDS.items()
    }


@pytest.fixture
async def owner(infra: Infra) -> AsyncIterator[asyncpg.Connection]:
    connection = await connect(infra.database_url)
    yield connection
    await connection.close()
