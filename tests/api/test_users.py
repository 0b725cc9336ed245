from httpx import AsyncClient

from tests.fixtures.factories import unique

PASSWORD = "a-long-enough-password"


async def login(client: AsyncClient, username: str, password: str) -> int:
    return (
        await client.post("/api/auth/token", data={"username": username, "password": password})
    ).status_code


class TestUserAdministration:
    async def test_an_admin_creates_a_user_who_can_log_in_with_that_role(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        created = await admin.post(
            "/api/users", json={"username": unique("op"), "password": PASSWORD, "role": "operator"}
        )
        assert created.status_code == 201
        assert created.json()["role"] == "operator"
        assert PASSWORD not in created.text and "password_hash" not in created.text
        assert await login(anonymous, created.json()["username"], PASSWORD) == 200

    async def test_a_duplicate_username_is_409_and_a_short_password_422(
        self, admin: AsyncClient
    ) -> None:
        name = unique("dup")
        assert (
            await admin.post("/api/users", json={"username": name, "password": PASSWORD})
        ).status_code == 201
        assert (
            await admin.post("/api/users", json={"username": name, "password": PASSWORD})
        ).status_code == 409
        assert (
            await admin.post("/api/users", json={"username": unique("short"), "password": "short"})
        ).status_code == 422

    async def test_a_disabled_user_can_no_longer_log_in_or_use_a_token(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        name = unique("gone")
        user = (
            await admin.post("/api/users", json={"username": name, "password": PASSWORD})
        ).json()
        token = (
            await anonymous.post("/api/auth/token", data={"username": name, "password": PASSWORD})
        ).json()["access_token"]
        assert (await admin.patch(f"/api/users/{user['id']}", json={"is_active": False})).json()[
            "is_active"
        ] is False
        assert await login(anonymous, name, PASSWORD) == 401
        assert (
            await anonymous.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
        ).status_code == 401

    async def test_a_role_change_applies(self, admin: AsyncClient) -> None:
        user = (
            await admin.post(
                "/api/users", json={"username": unique("promote"), "password": PASSWORD}
            )
        ).json()
        assert user["role"] == "viewer"
        assert (await admin.patch(f"/api/users/{user['id']}", json={"role": "admin"})).json()[
            "role"
        ] == "admin"
        await admin.patch(f"/api/users/{user['id']}", json={"is_active": False})

    async def test_the_last_active_admin_cannot_be_demoted_or_disabled(
        self, admin: AsyncClient
    ) -> None:
        users = (await admin.get("/api/users")).json()
        me = next(u for u in users if u["username"] == "admin")
        for other in users:
            if other["role"] == "admin" and other["is_active"] and other["id"] != me["id"]:
                await admin.patch(f"/api/users/{other['id']}", json={"is_active": False})
        for change in ({"role": "viewer"}, {"is_active": False}):
            response = await admin.patch(f"/api/users/{me['id']}", json=change)
            assert response.status_code == 409
            assert "last active admin" in response.json()["error"]

    async def test_an_unknown_user_is_404(self, admin: AsyncClient) -> None:
        response = await admin.patch(
            "/api/users/00000000-0000-0000-0000-000000000000", json={"role": "viewer"}
        )
        assert response.status_code == 404
