"""The credential key ring on a database of its own: rotation touches every credential."""

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from uuid import UUID

import pytest
from cryptography.fernet import Fernet
from httpx import AsyncClient
from netraven_api.credentials.key_ring import key_usage, rotate
from netraven_api.credentials.schemas import CredentialCreate, CredentialUpdate
from netraven_api.credentials.service import create_credential, update_credential
from netraven_shared.credential_keys import KeyRing
from netraven_shared.crypto import CredentialCipher, MissingCredentialKey
from netraven_shared.db.models import Credential
from netraven_shared.db.session import create_engine, session_factory
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.databases import fresh_database
from tests.fixtures.factories import create_credential as create_through_the_api
from tests.fixtures.factories import unique
from tests.fixtures.infra import Infra
from tests.fixtures.ssh_keys import KeyPair

K1 = f"k1:{Fernet.generate_key().decode()}"
K2 = f"k2:{Fernet.generate_key().decode()}"
OLD_SECRET = "the-single-key-of-an-older-installation-0123"


def cipher(ring: str, legacy: str | None = None) -> CredentialCipher:
    parsed = KeyRing.parse(ring, "NETRAVEN_CREDENTIAL_KEYS")
    return CredentialCipher(parsed.plus_legacy(legacy) if legacy else parsed)


@pytest.fixture
async def database_url(infra: Infra) -> str:
    return await fresh_database(infra, "netraven_keys")


@pytest.fixture
async def own_sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url, pool_size=1)
    yield session_factory(engine)
    await engine.dispose()


async def add(
    sessions: async_sessionmaker[AsyncSession], name: str, with_cipher: CredentialCipher
) -> None:
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


async def opened(
    sessions: async_sessionmaker[AsyncSession], with_cipher: CredentialCipher
) -> dict[str, tuple[str, str, str | None]]:
    """Every credential as (key id, password, enable secret), decrypted with `with_cipher`."""
    async with sessions() as session:
        rows = await session.scalars(select(Credential))
        return {
            row.name: (
                row.key_id,
                with_cipher.decrypt(row.password_encrypted, key_id=row.key_id, credential=row.name),
                with_cipher.decrypt(
                    row.enable_secret_encrypted, key_id=row.key_id, credential=row.name
                )
                if row.enable_secret_encrypted
                else None,
            )
            for row in rows
        }


async def usage(
    sessions: async_sessionmaker[AsyncSession], with_cipher: CredentialCipher
) -> dict[str, int]:
    async with sessions() as session:
        return {key.key_id: key.credentials for key in await key_usage(session, with_cipher)}


async def rotated(
    sessions: async_sessionmaker[AsyncSession], with_cipher: CredentialCipher
) -> tuple[int, int]:
    async with sessions() as session:
        rotation = await rotate(session, with_cipher)
        await session.commit()
    credentials = next(table for table in rotation if table.label == "credentials")
    return credentials.rotated, credentials.already_on_primary


class TestRotation:
    async def test_add_a_key_rotate_retire_the_old_one(
        self, own_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(own_sessions, "core", cipher(K1))
        await add(own_sessions, "edge", cipher(K1))
        both = cipher(f"{K2},{K1}")
        await add(own_sessions, "new", both)
        assert await usage(own_sessions, both) == {"k2": 1, "k1": 2}
        assert await rotated(own_sessions, both) == (2, 1)
        assert await usage(own_sessions, both) == {"k2": 3, "k1": 0}
        assert await opened(own_sessions, cipher(K2)) == {
            "core": ("k2", "core-pw", "core-en"),
            "edge": ("k2", "edge-pw", "edge-en"),
            "new": ("k2", "new-pw", "new-en"),
        }

    async def test_the_legacy_key_still_decrypts_and_rotates_away(
        self, own_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(own_sessions, "old", CredentialCipher(KeyRing.legacy(OLD_SECRET)))
        upgraded = cipher(K1, legacy=OLD_SECRET)
        assert await opened(own_sessions, upgraded) == {"old": ("legacy", "old-pw", "old-en")}
        assert await usage(own_sessions, upgraded) == {"k1": 0, "legacy": 1}
        assert await rotated(own_sessions, upgraded) == (1, 0)
        assert await opened(own_sessions, cipher(K1)) == {"old": ("k1", "old-pw", "old-en")}

    async def test_a_ring_missing_a_used_key_names_it_and_rotates_nothing(
        self, own_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(own_sessions, "lab-admin", cipher(K1))
        await add(own_sessions, "access", cipher(K2))  # rotated first, then rolled back
        without_k1 = cipher(K2)
        assert await usage(own_sessions, without_k1) == {"k2": 1, "k1": 1}
        with pytest.raises(
            MissingCredentialKey,
            match=(
                "credential 'lab-admin' is encrypted with key k1, "
                "which is not in NETRAVEN_CREDENTIAL_KEYS"
            ),
        ):
            await opened(own_sessions, without_k1)
        with pytest.raises(MissingCredentialKey, match="'lab-admin' is encrypted with key k1"):
            await rotated(own_sessions, cipher(f"k3:{Fernet.generate_key().decode()},{K2}"))
        assert await usage(own_sessions, cipher(f"{K1},{K2}")) == {"k1": 1, "k2": 1}


class TestPrivateKeys:
    async def test_rotation_reseals_the_key_and_its_passphrase(
        self, own_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        text = KeyPair().private_text(passphrase="key-passphrase")
        async with own_sessions() as session:
            data = CredentialCreate(
                name="keyed",
                username="netraven",
                private_key=text,
                private_key_passphrase="key-passphrase",
                tags=[],
            )
            await create_credential(session, data, cipher(K1))
            await session.commit()
        assert await rotated(own_sessions, cipher(f"{K2},{K1}")) == (1, 0)
        only_k2 = cipher(K2)
        async with own_sessions() as session:
            stored = await session.scalar(select(Credential))
        assert stored is not None and stored.key_id == "k2"
        secrets = (stored.private_key_encrypted, stored.private_key_passphrase_encrypted)
        assert [
            only_k2.decrypt(token, key_id="k2", credential="keyed") for token in secrets if token
        ] == [text, "key-passphrase"]

    async def test_a_new_key_reseals_the_password_with_it(
        self, own_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(own_sessions, "core", cipher(K1))
        text = KeyPair().private_text()
        async with own_sessions() as session:
            row = await session.scalar(select(Credential))
            await update_credential(
                session, row.id, CredentialUpdate(private_key=text), cipher(f"{K2},{K1}")
            )
            await session.commit()
        assert await opened(own_sessions, cipher(K2)) == {"core": ("k2", "core-pw", "core-en")}


class TestUpdatesKeepOneKeyPerRow:
    async def test_a_new_password_reseals_the_enable_secret_with_it(
        self, own_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(own_sessions, "core", cipher(K1))
        async with own_sessions() as session:
            row = await session.scalar(select(Credential))
            await update_credential(
                session, row.id, CredentialUpdate(password="changed"), cipher(f"{K2},{K1}")
            )
            await session.commit()
        assert await opened(own_sessions, cipher(K2)) == {"core": ("k2", "changed", "core-en")}

    async def test_a_credential_whose_key_is_lost_can_be_entered_again(
        self, own_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(own_sessions, "core", cipher(K1))
        async with own_sessions() as session:
            row_id = await session.scalar(select(Credential.id))
            with pytest.raises(MissingCredentialKey):
                await update_credential(
                    session, row_id, CredentialUpdate(password="again"), cipher(K2)
                )
        async with own_sessions() as session:
            await update_credential(
                session,
                row_id,
                CredentialUpdate(password="again", enable_secret="en-again"),
                cipher(K2),
            )
            await session.commit()
        assert await opened(own_sessions, cipher(K2)) == {"core": ("k2", "again", "en-again")}


class TestTheApiWithAKeyMissing:
    async def test_a_password_alone_is_refused_naming_the_key_and_both_secrets_re_enter_it(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        created = await create_through_the_api(admin, unique("keys"), "pw", enable_secret="en")
        async with sessions() as session:
            await session.execute(
                update(Credential)
                .where(Credential.id == UUID(created["id"]))
                .values(key_id="retired")
            )
            await session.commit()
        refused = await admin.patch(f"/api/credentials/{created['id']}", json={"password": "new"})
        assert refused.status_code == 409
        assert (
            "is encrypted with key retired, which is not in NETRAVEN_CREDENTIAL_KEYS"
            in refused.json()["error"]
        )
        re_entered = await admin.patch(
            f"/api/credentials/{created['id']}", json={"password": "new", "enable_secret": None}
        )
        assert re_entered.status_code == 200, re_entered.text
        async with sessions() as session:
            assert (await session.get(Credential, UUID(created["id"]))).key_id == "tests"


class TestCommand:
    def credential_keys(
        self, database_url: str, ring: str, *arguments: str
    ) -> subprocess.CompletedProcess:
        env = os.environ | {
            "NETRAVEN_MODE": "development",
            "NETRAVEN_DATABASE_URL": database_url,
            "NETRAVEN_CREDENTIAL_KEYS": ring,
        }
        return subprocess.run(
            [sys.executable, "-m", "netraven_api", "credential-keys", *arguments],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    async def test_status_and_rotate_print_counts_never_secrets(
        self, own_sessions: async_sessionmaker[AsyncSession], database_url: str
    ) -> None:
        await add(own_sessions, "core", cipher(K1))
        ring = f"{K2},{K1}"
        before = self.credential_keys(database_url, ring, "status")
        assert before.returncode == 0, before.stderr
        assert [line.split()[:2] for line in before.stdout.splitlines()[1:]] == [
            ["k2", "0"],
            ["k1", "1"],
        ]
        rotation = self.credential_keys(database_url, ring, "rotate")
        assert rotation.stdout.strip() == "rotated 1 credentials to key k2; 0 were on it already"
        after = self.credential_keys(database_url, ring, "status")
        assert [line.split()[:2] for line in after.stdout.splitlines()[1:]] == [
            ["k2", "1"],
            ["k1", "0"],
        ]
        assert "can be removed from the ring" in after.stdout
        for output in (before, rotation, after):
            shown = output.stdout + output.stderr
            assert not any(
                secret in shown
                for secret in ("core-pw", "core-en", K1.split(":")[1], K2.split(":")[1])
            )

    async def test_status_fails_while_a_used_key_is_missing(
        self, own_sessions: async_sessionmaker[AsyncSession], database_url: str
    ) -> None:
        await add(own_sessions, "core", cipher(K1))
        status = self.credential_keys(database_url, K2, "status")
        assert status.returncode == 1
        assert "k1" in status.stdout and "MISSING from NETRAVEN_CREDENTIAL_KEYS" in status.stdout

    def test_new_prints_an_entry_for_the_ring(self) -> None:
        entry = subprocess.run(
            [sys.executable, "-m", "netraven_api", "credential-keys", "new", "k9"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert KeyRing.parse(entry.stdout, "stdout").ids == ["k9"]
