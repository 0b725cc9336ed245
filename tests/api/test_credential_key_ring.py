"""The credential key ring on a database of its own: rotation touches every credential. The
`credential-keys` command is in test_credential_keys_command.py."""

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
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.key_ring import K1, K2, add, cipher
from tests.fixtures.factories import create_credential as create_through_the_api
from tests.fixtures.factories import unique
from tests.fixtures.ssh_keys import KeyPair

OLD_SECRET = "the-single-key-of-an-older-installation-0123"


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
        self, key_ring_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(key_ring_sessions, "core", cipher(K1))
        await add(key_ring_sessions, "edge", cipher(K1))
        both = cipher(f"{K2},{K1}")
        await add(key_ring_sessions, "new", both)
        assert await usage(key_ring_sessions, both) == {"k2": 1, "k1": 2}
        assert await rotated(key_ring_sessions, both) == (2, 1)
        assert await usage(key_ring_sessions, both) == {"k2": 3, "k1": 0}
        assert await opened(key_ring_sessions, cipher(K2)) == {
            "core": ("k2", "core-pw", "core-en"),
            "edge": ("k2", "edge-pw", "edge-en"),
            "new": ("k2", "new-pw", "new-en"),
        }

    async def test_the_legacy_key_still_decrypts_and_rotates_away(
        self, key_ring_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(key_ring_sessions, "old", CredentialCipher(KeyRing.legacy(OLD_SECRET)))
        upgraded = cipher(K1, legacy=OLD_SECRET)
        assert await opened(key_ring_sessions, upgraded) == {"old": ("legacy", "old-pw", "old-en")}
        assert await usage(key_ring_sessions, upgraded) == {"k1": 0, "legacy": 1}
        assert await rotated(key_ring_sessions, upgraded) == (1, 0)
        assert await opened(key_ring_sessions, cipher(K1)) == {"old": ("k1", "old-pw", "old-en")}

    async def test_a_ring_missing_a_used_key_names_it_and_rotates_nothing(
        self, key_ring_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(key_ring_sessions, "lab-admin", cipher(K1))
        await add(key_ring_sessions, "access", cipher(K2))  # rotated first, then rolled back
        without_k1 = cipher(K2)
        assert await usage(key_ring_sessions, without_k1) == {"k2": 1, "k1": 1}
        with pytest.raises(
            MissingCredentialKey,
            match=(
                "credential 'lab-admin' is encrypted with key k1, "
                "which is not in NETRAVEN_CREDENTIAL_KEYS"
            ),
        ):
            await opened(key_ring_sessions, without_k1)
        with pytest.raises(MissingCredentialKey, match="'lab-admin' is encrypted with key k1"):
            await rotated(key_ring_sessions, cipher(f"k3:{Fernet.generate_key().decode()},{K2}"))
        assert await usage(key_ring_sessions, cipher(f"{K1},{K2}")) == {"k1": 1, "k2": 1}


class TestPrivateKeys:
    async def test_rotation_reseals_the_key_and_its_passphrase(
        self, key_ring_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        text = KeyPair().private_text(passphrase="key-passphrase")
        async with key_ring_sessions() as session:
            data = CredentialCreate(
                name="keyed",
                username="netraven",
                private_key=text,
                private_key_passphrase="key-passphrase",
                tags=[],
            )
            await create_credential(session, data, cipher(K1))
            await session.commit()
        assert await rotated(key_ring_sessions, cipher(f"{K2},{K1}")) == (1, 0)
        only_k2 = cipher(K2)
        async with key_ring_sessions() as session:
            stored = await session.scalar(select(Credential))
        assert stored is not None and stored.key_id == "k2"
        secrets = (stored.private_key_encrypted, stored.private_key_passphrase_encrypted)
        assert [
            only_k2.decrypt(token, key_id="k2", credential="keyed") for token in secrets if token
        ] == [text, "key-passphrase"]

    async def test_a_new_key_reseals_the_password_with_it(
        self, key_ring_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(key_ring_sessions, "core", cipher(K1))
        text = KeyPair().private_text()
        async with key_ring_sessions() as session:
            row = await session.scalar(select(Credential))
            await update_credential(
                session, row.id, CredentialUpdate(private_key=text), cipher(f"{K2},{K1}")
            )
            await session.commit()
        assert await opened(key_ring_sessions, cipher(K2)) == {"core": ("k2", "core-pw", "core-en")}


class TestUpdatesKeepOneKeyPerRow:
    async def test_a_new_password_reseals_the_enable_secret_with_it(
        self, key_ring_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(key_ring_sessions, "core", cipher(K1))
        async with key_ring_sessions() as session:
            row = await session.scalar(select(Credential))
            await update_credential(
                session, row.id, CredentialUpdate(password="changed"), cipher(f"{K2},{K1}")
            )
            await session.commit()
        assert await opened(key_ring_sessions, cipher(K2)) == {"core": ("k2", "changed", "core-en")}

    async def test_a_credential_whose_key_is_lost_can_be_entered_again(
        self, key_ring_sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        await add(key_ring_sessions, "core", cipher(K1))
        async with key_ring_sessions() as session:
            row_id = await session.scalar(select(Credential.id))
            with pytest.raises(MissingCredentialKey):
                await update_credential(
                    session, row_id, CredentialUpdate(password="again"), cipher(K2)
                )
        async with key_ring_sessions() as session:
            await update_credential(
                session,
                row_id,
                CredentialUpdate(password="again", enable_secret="en-again"),
                cipher(K2),
            )
            await session.commit()
        assert await opened(key_ring_sessions, cipher(K2)) == {"core": ("k2", "again", "en-again")}


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
