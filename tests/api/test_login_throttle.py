from httpx import AsyncClient

from netraven_api.auth.throttle import MAX_FAILURES
from tests.fixtures.api import ADMIN_PASSWORD
from tests.fixtures.factories import unique

PASSWORD = "a-long-enough-password"


async def login(client: AsyncClient, username: str, password: str):
    return await client.post("/api/auth/token", data={"username": username, "password": password})


class TestLoginThrottle:
    async def test_a_username_is_locked_out_after_repeated_failures_even_with_the_right_password(self, admin: AsyncClient, anonymous: AsyncClient) -> None:
        name = unique("victim")
        await admin.post("/api/users", json={"username": name, "password": PASSWORD})
        for _ in range(MAX_FAILURES):
            assert (await login(anonymous, name, "wrong")).status_code == 401
        locked = await login(anonymous, name, PASSWORD)
        assert locked.status_code == 429
        assert "try again in 15 minutes" in locked.json()["error"]

    async def test_an_unknown_username_is_treated_exactly_the_same(self, anonymous: AsyncClient) -> None:
        name = unique("nobody")
        answers = [(await login(anonymous, name, "wrong")) for _ in range(MAX_FAILURES + 1)]
        assert [a.status_code for a in answers] == [401] * MAX_FAILURES + [429]
        assert answers[0].json() == {"error": "invalid username or password", "detail": None}

    async def test_a_successful_login_clears_the_count(self, admin: AsyncClient, anonymous: AsyncClient) -> None:
        name = unique("clumsy")
        await admin.post("/api/users", json={"username": name, "password": PASSWORD})
        for _ in range(MAX_FAILURES - 1):
            await login(anonymous, name, "wrong")
        assert (await login(anonymous, name, PASSWORD)).status_code == 200
        for _ in range(MAX_FAILURES - 1):
            await login(anonymous, name, "wrong")
        assert (await login(anonymous, name, PASSWORD)).status_code == 200

    async def test_other_usernames_are_not_affected(self, anonymous: AsyncClient) -> None:
        for _ in range(MAX_FAILURES):
            await login(anonymous, unique("noise"), "wrong")
        assert (await login(anonymous, "admin", ADMIN_PASSWORD)).status_code == 200
