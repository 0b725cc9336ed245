from uuid import UUID

from httpx import AsyncClient
from netraven_shared.db.models import Credential
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.api import CIPHER, CREDENTIAL_KEY_ID
from tests.fixtures.factories import create_credential, unique

MISSING = "00000000-0000-0000-0000-000000000000"
SECRETS = ("password", "enable_secret", "password_encrypted", "enable_secret_encrypted")


async def stored(
    sessions: async_sessionmaker[AsyncSession], credential_id: str
) -> Credential | None:
    async with sessions() as session:
        return await session.get(Credential, UUID(credential_id))


def decrypt(ciphertext: bytes | None) -> str | None:
    if ciphertext is None:
        return None
    return CIPHER.decrypt(ciphertext, key_id=CREDENTIAL_KEY_ID, credential="under test")


class TestGetCredential:
    async def test_one_credential_without_secrets(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        created = await create_credential(admin, unique("get"), "old-password", enable_secret="en")
        response = await operator.get(f"/api/credentials/{created['id']}")
        assert response.status_code == 200
        assert response.json() == created
        assert not set(SECRETS) & set(response.json())
        assert "old-password" not in response.text

    async def test_an_unknown_id_is_404(self, operator: AsyncClient) -> None:
        response = await operator.get(f"/api/credentials/{MISSING}")
        assert response.status_code == 404
        assert MISSING in response.json()["error"]

    async def test_a_viewer_cannot_read_one(self, admin: AsyncClient, viewer: AsyncClient) -> None:
        created = await create_credential(admin, unique("get"), "pw")
        assert (await viewer.get(f"/api/credentials/{created['id']}")).status_code == 403


class TestUpdateCredential:
    async def test_a_new_password_is_what_a_later_login_decrypts(
        self, admin: AsyncClient, sessions
    ) -> None:
        created = await create_credential(admin, unique("upd"), "old-password")
        response = await admin.patch(
            f"/api/credentials/{created['id']}", json={"password": "new-password"}
        )
        assert response.status_code == 200
        assert "new-password" not in response.text and not set(SECRETS) & set(response.json())
        row = await stored(sessions, created["id"])
        assert b"new-password" not in row.password_encrypted
        assert decrypt(row.password_encrypted) == "new-password"

    async def test_fields_not_sent_stay(self, admin: AsyncClient, sessions) -> None:
        tag = unique("keep")
        created = await create_credential(
            admin, tag, "pw", enable_secret="enable", username="someone", priority=7
        )
        response = await admin.patch(f"/api/credentials/{created['id']}", json={"priority": 3})
        assert response.json() == created | {"priority": 3}
        row = await stored(sessions, created["id"])
        assert (decrypt(row.password_encrypted), decrypt(row.enable_secret_encrypted)) == (
            "pw",
            "enable",
        )

    async def test_name_username_and_tags_change(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        created = await create_credential(admin, unique("old"), "pw")
        name, tag = unique("renamed"), unique("new")
        body = {"name": name, "username": "other", "tags": [tag]}
        response = await admin.patch(f"/api/credentials/{created['id']}", json=body)
        assert response.status_code == 200
        assert (response.json()["name"], response.json()["username"], response.json()["tags"]) == (
            name,
            "other",
            [tag],
        )
        assert (await operator.get(f"/api/credentials/{created['id']}")).json() == response.json()

    async def test_an_enable_secret_is_set_replaced_and_cleared_by_null(
        self, admin: AsyncClient, sessions
    ) -> None:
        created = await create_credential(admin, unique("en"), "pw")
        url = f"/api/credentials/{created['id']}"
        assert (await admin.patch(url, json={"enable_secret": "first"})).json()[
            "has_enable_secret"
        ] is True
        assert decrypt((await stored(sessions, created["id"])).enable_secret_encrypted) == "first"
        assert (await admin.patch(url, json={"enable_secret": "second"})).json()[
            "has_enable_secret"
        ] is True
        assert decrypt((await stored(sessions, created["id"])).enable_secret_encrypted) == "second"
        assert (await admin.patch(url, json={"enable_secret": None})).json()[
            "has_enable_secret"
        ] is False
        row = await stored(sessions, created["id"])
        assert row.enable_secret_encrypted is None
        assert decrypt(row.password_encrypted) == "pw"

    async def test_a_name_another_credential_has_is_409(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        first = await create_credential(admin, unique("dup"), "pw")
        second = await create_credential(admin, unique("dup"), "pw")
        response = await admin.patch(
            f"/api/credentials/{second['id']}", json={"name": first["name"]}
        )
        assert response.status_code == 409
        assert first["name"] in response.json()["error"]
        assert (await operator.get(f"/api/credentials/{second['id']}")).json()["name"] == second[
            "name"
        ]

    async def test_keeping_its_own_name_is_not_a_conflict(self, admin: AsyncClient) -> None:
        created = await create_credential(admin, unique("same"), "pw")
        response = await admin.patch(
            f"/api/credentials/{created['id']}", json={"name": created["name"]}
        )
        assert response.status_code == 200

    async def test_an_empty_password_is_422(self, admin: AsyncClient) -> None:
        created = await create_credential(admin, unique("empty"), "pw")
        response = await admin.patch(f"/api/credentials/{created['id']}", json={"password": ""})
        assert response.status_code == 422
        assert response.json()["error"] == "invalid request"

    async def test_an_unknown_id_is_404(self, admin: AsyncClient) -> None:
        assert (
            await admin.patch(f"/api/credentials/{MISSING}", json={"priority": 2})
        ).status_code == 404

    async def test_a_viewer_cannot_change(
        self, admin: AsyncClient, viewer: AsyncClient, sessions
    ) -> None:
        created = await create_credential(admin, unique("view"), "pw")
        response = await viewer.patch(
            f"/api/credentials/{created['id']}", json={"password": "stolen"}
        )
        assert response.status_code == 403
        assert decrypt((await stored(sessions, created["id"])).password_encrypted) == "pw"


class TestOnlyAdminsWrite:
    async def test_an_operator_cannot_create_change_or_delete(
        self, admin: AsyncClient, operator: AsyncClient, sessions
    ) -> None:
        created = await create_credential(admin, unique("adm"), "pw")
        body = {"name": unique("op"), "username": "u", "password": "p", "tags": [unique("op")]}
        url = f"/api/credentials/{created['id']}"
        for response in (
            await operator.post("/api/credentials", json=body),
            await operator.patch(url, json={"password": "stolen"}),
            await operator.delete(url),
        ):
            assert response.status_code == 403
            assert "admin" in response.json()["error"]
        assert body["name"] not in [
            c["name"] for c in (await operator.get("/api/credentials")).json()
        ]
        assert (await operator.get(url)).json() == created
        assert decrypt((await stored(sessions, created["id"])).password_encrypted) == "pw"


class TestDeleteCredential:
    async def test_deleted_is_gone(self, admin: AsyncClient, operator: AsyncClient) -> None:
        created = await create_credential(admin, unique("del"), "pw")
        response = await admin.delete(f"/api/credentials/{created['id']}")
        assert (response.status_code, response.content) == (204, b"")
        assert (await operator.get(f"/api/credentials/{created['id']}")).status_code == 404
        assert created["id"] not in [
            c["id"] for c in (await operator.get("/api/credentials")).json()
        ]

    async def test_an_unknown_id_is_404(self, admin: AsyncClient) -> None:
        assert (await admin.delete(f"/api/credentials/{MISSING}")).status_code == 404

    async def test_a_viewer_cannot_delete(
        self, admin: AsyncClient, operator: AsyncClient, viewer: AsyncClient
    ) -> None:
        created = await create_credential(admin, unique("view"), "pw")
        assert (await viewer.delete(f"/api/credentials/{created['id']}")).status_code == 403
        assert (await operator.get(f"/api/credentials/{created['id']}")).status_code == 200
