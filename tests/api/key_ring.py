"""What the credential key ring tests share: two keys, a cipher over a ring, and a database of
their own (rotation touches every sealed row, so no other test's rows may be in it)."""

from collections.abc import AsyncIterator

import pytest
from cryptography.fernet import Fernet
from netraven_api.credentials.schemas import CredentialCreate
from netraven_api.credentials.service import create_credential
from netraven_shared.credential_keys import KeyRing
from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.session import create_engine, session_factory
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.databases import fresh_database
from tests.fixtures.infra import Infra

K1 = f"k1:{Fernet.generate_key().decode()}"
K2 = f"k2:{Fernet.generate_key().decode()}"


def cipher(ring: str, legacy: str | None = None) -> CredentialCipher:
    parsed = KeyRing.parse(ring, "NETRAVEN_CREDENTIAL_KEYS")
    return CredentialCipher(parsed.plus_legacy(legacy) if legacy else parsed)


@pytest.fixture
async def key_ring_database_url(infra: Infra) -> str:
    return await fresh_database(infra, "netraven_keys")


@pytest.fixture
async def key_ring_sessions(
    key_ring_database_url: str,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(key_ring_database_url, pool_size=1)
    yield session_factory(engine)
    await engine.dispose()


async def add(
    sessions: async_sessionmaker[AsyncSession], name: str, with_cipher: CredentialCipher
) -> None:
    """A credential `name` with a password and an enable secret derived from its name."""
    async with sessions() as session:
        data = CredentialCreate(
            name=name,
            username="netraven",
            password=f"{name}-pw",
            enable_secret=f"{name}-en",
            tags=[],
        )
        await create_credential(session, data, with_cipher)
        await session.commit()
