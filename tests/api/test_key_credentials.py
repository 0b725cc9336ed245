"""Credentials holding an SSH private key: checked on the way in, encrypted at rest, never
returned (rotation: test_credential_key_ring.py)."""

from uuid import UUID

import pytest
from httpx import AsyncClient
from netraven_shared.db.models import Credential
from netraven_shared.host_keys import fingerprint_of
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.api import CIPHER, CREDENTIAL_KEY_ID
from tests.fixtures.factories import unique
from tests.fixtures.ssh_keys import KeyPair

ED25519 = KeyPair("ed25519")
PASSPHRASE = "correct horse battery"
PRIVATE_FIELDS = ("private_key", "private_key_passphrase", "password", "private_key_encrypted")


def body(**fields: object) -> dict:
    return {"name": unique("key-cred"), "username": "netraven", "tags": [unique("k")], **fields}


async def create(admin: AsyncClient, **fields: object) -> dict:
    response = await admin.post("/api/credentials", json=body(**fields))
    assert response.status_code == 201, response.text
    return response.json()


def field_errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {error["field"]: error["message"] for error in response.json()["detail"]}


async def row(sessions: async_sessionmaker[AsyncSession], credential_id: str) -> Credential:
    async with sessions() as session:
        found = await session.get(Credential, UUID(credential_id))
        assert found is not None
        return found


def opened(token: bytes | None) -> str | None:
    if token is None:
        return None
    return CIPHER.decrypt(token, key_id=CREDENTIAL_KEY_ID, credential="under test")


class TestCreate:
    @pytest.mark.parametrize(
        ("kind", "form", "passphrase"),
        [
            ("ed25519", "openssh", None),
            ("ed25519", "pem", PASSPHRASE),
            ("rsa", "pem", None),
            ("rsa", "openssh", PASSPHRASE),
            ("ecdsa", "pem", PASSPHRASE),
            ("ecdsa", "openssh", None),
        ],
    )
    async def test_each_key_type_and_format_is_accepted_and_shown_by_fingerprint(
        self, admin: AsyncClient, kind, form, passphrase
    ) -> None:
        pair = KeyPair(kind)
        created = await create(
            admin,
            private_key=pair.private_text(form, passphrase),
            private_key_passphrase=passphrase,
        )
        key_type, blob = pair.public_line.split()[:2]
        assert created["auth_methods"] == ["key"]
        assert created["private_key_type"] == key_type
        assert created["private_key_fingerprint"] == fingerprint_of(blob)

    async def test_key_and_password_are_both_listed_key_first(self, admin: AsyncClient) -> None:
        created = await create(admin, private_key=ED25519.private_text(), password="pw")
        assert created["auth_methods"] == ["key", "password"]

    async def test_the_key_and_passphrase_are_encrypted_and_never_returned(
        self, admin: AsyncClient, operator: AsyncClient, sessions
    ) -> None:
        text = ED25519.private_text(passphrase=PASSPHRASE)
        created = await create(admin, private_key=text, private_key_passphrase=PASSPHRASE)
        for client in (admin, operator):
            for response in (
                await client.get(f"/api/credentials/{created['id']}"),
                await client.get("/api/credentials"),
            ):
                assert "PRIVATE KEY" not in response.text and PASSPHRASE not in response.text
        assert not set(PRIVATE_FIELDS) & set(created)
        stored = await row(sessions, created["id"])
        assert (
            stored.private_key_encrypted is not None
            and b"PRIVATE" not in stored.private_key_encrypted
        )
        assert opened(stored.private_key_encrypted) == text
        assert opened(stored.private_key_passphrase_encrypted) == PASSPHRASE
        assert stored.password_encrypted is None

    async def test_the_audit_trail_marks_the_key_changed_without_its_text(
        self, admin: AsyncClient
    ) -> None:
        created = await create(
            admin,
            private_key=ED25519.private_text(passphrase=PASSPHRASE),
            private_key_passphrase=PASSPHRASE,
        )
        response = await admin.get("/api/audit", params={"object_id": created["id"]})
        assert response.status_code == 200, response.text
        [entry] = response.json()["items"]
        assert entry["changes"]["private_key"] == "(changed)"
        assert entry["changes"]["private_key_passphrase"] == "(changed)"
        assert "PRIVATE KEY" not in response.text and PASSPHRASE not in response.text


class TestRefused:
    async def test_neither_password_nor_key(self, admin: AsyncClient) -> None:
        errors = field_errors(await admin.post("/api/credentials", json=body()))
        assert errors.keys() == {"password", "private_key"}
        assert "needs a password, a private key, or both" in errors["private_key"]

    async def test_text_that_is_no_key(self, admin: AsyncClient) -> None:
        response = await admin.post(
            "/api/credentials", json=body(private_key="ssh-ed25519 AAAA... a public key")
        )
        assert "not a private key NetRaven can read" in field_errors(response)["private_key"]

    async def test_a_wrong_passphrase(self, admin: AsyncClient) -> None:
        response = await admin.post(
            "/api/credentials",
            json=body(
                private_key=ED25519.private_text(passphrase=PASSPHRASE),
                private_key_passphrase="wrong",
            ),
        )
        message = field_errors(response)["private_key_passphrase"]
        assert message == "the passphrase does not unlock the private key"

    async def test_a_missing_passphrase(self, admin: AsyncClient) -> None:
        response = await admin.post(
            "/api/credentials",
            json=body(private_key=KeyPair("rsa").private_text("pem", PASSPHRASE)),
        )
        assert "encrypted: give its passphrase" in field_errors(response)["private_key_passphrase"]

    async def test_a_passphrase_without_a_key(self, admin: AsyncClient) -> None:
        response = await admin.post(
            "/api/credentials", json=body(password="pw", private_key_passphrase=PASSPHRASE)
        )
        assert "private_key_passphrase" in field_errors(response)


class TestUpdate:
    async def test_omitting_the_key_keeps_it(self, admin: AsyncClient, sessions) -> None:
        text = ED25519.private_text()
        created = await create(admin, private_key=text, password="pw")
        response = await admin.patch(
            f"/api/credentials/{created['id']}", json={"password": "new-pw"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["auth_methods"] == ["key", "password"]
        assert opened((await row(sessions, created["id"])).private_key_encrypted) == text

    async def test_private_key_null_removes_key_and_passphrase(
        self, admin: AsyncClient, sessions
    ) -> None:
        created = await create(
            admin,
            private_key=ED25519.private_text(passphrase=PASSPHRASE),
            private_key_passphrase=PASSPHRASE,
            password="pw",
        )
        response = await admin.patch(
            f"/api/credentials/{created['id']}", json={"private_key": None}
        )
        assert response.status_code == 200, response.text
        out = response.json()
        assert out["auth_methods"] == ["password"]
        assert out["private_key_type"] is None and out["private_key_fingerprint"] is None
        stored = await row(sessions, created["id"])
        assert stored.private_key_encrypted is None
        assert stored.private_key_passphrase_encrypted is None

    async def test_the_last_secret_cannot_be_removed(self, admin: AsyncClient) -> None:
        created = await create(admin, private_key=ED25519.private_text())
        response = await admin.patch(
            f"/api/credentials/{created['id']}", json={"private_key": None}
        )
        assert "needs a password, a private key, or both" in response.json()["error"]
        assert response.status_code == 422

    async def test_a_key_can_replace_the_password(self, admin: AsyncClient) -> None:
        created = await create(admin, password="pw")
        pair = KeyPair("ecdsa")
        response = await admin.patch(
            f"/api/credentials/{created['id']}",
            json={"private_key": pair.private_text(), "password": None},
        )
        assert response.status_code == 200, response.text
        assert response.json()["auth_methods"] == ["key"]
        assert response.json()["private_key_type"] == "ecdsa-sha2-nistp256"

    async def test_a_bad_key_on_update_is_refused_and_changes_nothing(
        self, admin: AsyncClient
    ) -> None:
        created = await create(admin, password="pw")
        response = await admin.patch(
            f"/api/credentials/{created['id']}",
            json={"private_key": ED25519.private_text(passphrase=PASSPHRASE)},
        )
        assert "private_key_passphrase" in field_errors(response)
        after = await admin.get(f"/api/credentials/{created['id']}")
        assert after.json()["auth_methods"] == ["password"]
