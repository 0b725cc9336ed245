from httpx import AsyncClient
from netraven_shared.db.models import User
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import unique

PASSWORD = "a-long-enough-password"
NEW_PASSWORD = "another-long-password"


async def signed_in(admin: AsyncClient, anonymous: AsyncClient) -> tuple[str, dict[str, str]]:
    name = unique("changer")
    await admin.post("/api/users", json={"username": name, "password": PASSWORD})
    token = (
        await anonymous.post("/api/auth/token", data={"username": name, "password": PASSWORD})
    ).json()
    return name, {"Authorization": f"Bearer {token['access_token']}"}


class TestPasswordChange:
    async def test_the_new_password_works_and_the_old_one_no_longer_does(
        self, admin: AsyncClient, anonymous: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        name, auth = await signed_in(admin, anonymous)
        changed = await anonymous.post(
            "/api/auth/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers=auth,
        )
        assert changed.status_code == 204
        login = lambda password: anonymous.post(
            "/api/auth/token", data={"username": name, "password": password}
        )
        assert (await login(NEW_PASSWORD)).status_code == 200
        assert (await login(PASSWORD)).status_code == 401
        async with sessions() as session:
            assert (
                await session.scalar(select(User.token_version).where(User.username == name)) == 1
            )

    async def test_the_current_password_is_required(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        _, auth = await signed_in(admin, anonymous)
        refused = await anonymous.post(
            "/api/auth/password",
            json={"current_password": "not-my-password", "new_password": NEW_PASSWORD},
            headers=auth,
        )
        assert refused.status_code == 422
        assert "current password is wrong" in refused.json()["error"]

    async def test_the_new_password_obeys_the_same_rules_as_any_users(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        _, auth = await signed_in(admin, anonymous)
        refused = await anonymous.post(
            "/api/auth/password",
            json={"current_password": PASSWORD, "new_password": "short"},
            headers=auth,
        )
        assert refused.status_code == 422

    async def test_signing_in_is_needed(self, anonymous: AsyncClient) -> None:
        refused = await anonymous.post(
            "/api/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert refused.status_code == 401
