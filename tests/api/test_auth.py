from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt
from httpx import AsyncClient
from netraven_api.auth.security import issue_token
from netraven_shared.db.models import User

from tests.fixtures.api import ADMIN_PASSWORD, JWT_SECRET
from tests.fixtures.factories import unique


class TestLogin:
    async def test_right_password_gives_a_bearer_token(self, anonymous: AsyncClient) -> None:
        response = await anonymous.post(
            "/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
        )
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        assert jwt.decode(body["access_token"], JWT_SECRET, algorithms=["HS256"])["role"] == "admin"

    async def test_wrong_password_and_unknown_user_get_the_same_answer(
        self, anonymous: AsyncClient
    ) -> None:
        wrong = await anonymous.post(
            "/api/auth/token", data={"username": "admin", "password": "nope"}
        )
        unknown = await anonymous.post(
            "/api/auth/token", data={"username": "ghost", "password": "nope"}
        )
        assert wrong.status_code == unknown.status_code == 401
        assert (
            wrong.json()
            == unknown.json()
            == {"error": "invalid username or password", "detail": None}
        )

    async def test_missing_form_fields_are_a_422_json_error(self, anonymous: AsyncClient) -> None:
        response = await anonymous.post("/api/auth/token", data={"username": "admin"})
        assert response.status_code == 422
        assert response.json()["error"] == "invalid request"


class TestBearerToken:
    async def test_no_token_is_401(self, anonymous: AsyncClient) -> None:
        response = await anonymous.get("/api/devices")
        assert response.status_code == 401
        assert "bearer token" in response.json()["error"]

    async def test_tampered_token_is_401(self, admin: AsyncClient, anonymous: AsyncClient) -> None:
        token = admin.headers["Authorization"].split()[1]
        forged = jwt.encode(
            jwt.decode(token, options={"verify_signature": False}),
            "another-key-entirely-0123456789abc",
            algorithm="HS256",
        )
        response = await anonymous.get(
            "/api/devices", headers={"Authorization": f"Bearer {forged}"}
        )
        assert response.status_code == 401

    async def test_me_names_the_caller(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/users/me")
        assert response.json()["username"] == "admin"
        assert response.json()["role"] == "admin"


class TestRoles:
    async def test_viewer_may_read(self, viewer: AsyncClient) -> None:
        assert (await viewer.get("/api/devices")).status_code == 200

    async def test_viewer_may_not_write_or_see_credentials(self, viewer: AsyncClient) -> None:
        created = await viewer.post(
            "/api/devices",
            json={"hostname": "x", "ip_address": "10.0.0.1", "device_type": "cisco_ios"},
        )
        assert created.status_code == 403
        assert "operator" in created.json()["error"]
        assert (await viewer.get("/api/credentials")).status_code == 403


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def the_admin(me: dict) -> User:
    """The shared admin account as tokens see it; no test ends its sessions, so its token version
    stays 0."""
    return User(id=UUID(me["id"]), role="admin", token_version=0)


class TestRefresh:
    async def test_a_valid_token_gets_a_new_one_with_a_fresh_expiry(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        me = (await admin.get("/api/users/me")).json()
        short = issue_token(
            the_admin(me), JWT_SECRET, timedelta(minutes=1), auth_time=datetime.now(UTC)
        )
        response = await anonymous.post("/api/auth/refresh", headers=bearer(short))
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        claims = jwt.decode(body["access_token"], JWT_SECRET, algorithms=["HS256"])
        assert (claims["sub"], claims["role"], "scope" in claims) == (me["id"], "admin", False)
        assert datetime.fromtimestamp(claims["exp"], UTC) > datetime.now(UTC) + timedelta(
            minutes=10
        )
        again = await anonymous.get("/api/users/me", headers=bearer(body["access_token"]))
        assert again.json()["username"] == "admin"

    async def test_a_disabled_user_is_401(self, admin: AsyncClient, anonymous: AsyncClient) -> None:
        username, password = unique("gone"), "a-password-long-enough"
        user = (
            await admin.post("/api/users", json={"username": username, "password": password})
        ).json()
        token = (
            await anonymous.post(
                "/api/auth/token", data={"username": username, "password": password}
            )
        ).json()["access_token"]
        assert (await anonymous.post("/api/auth/refresh", headers=bearer(token))).status_code == 200
        await admin.patch(f"/api/users/{user['id']}", json={"is_active": False})
        response = await anonymous.post("/api/auth/refresh", headers=bearer(token))
        assert response.status_code == 401
        assert response.json()["error"] == "this account no longer exists or is disabled"

    async def test_a_stream_token_is_not_refreshable(
        self, viewer: AsyncClient, anonymous: AsyncClient
    ) -> None:
        stream = (await viewer.post("/api/logs/stream-token")).json()["token"]
        response = await anonymous.post("/api/auth/refresh", headers=bearer(stream))
        assert response.status_code == 401
        assert "access_token" not in response.json()

    async def test_an_expired_token_is_401(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        me = (await admin.get("/api/users/me")).json()
        expired = issue_token(
            the_admin(me), JWT_SECRET, timedelta(seconds=-1), auth_time=datetime.now(UTC)
        )
        assert (
            await anonymous.post("/api/auth/refresh", headers=bearer(expired))
        ).status_code == 401

    async def test_no_token_is_401(self, anonymous: AsyncClient) -> None:
        assert (await anonymous.post("/api/auth/refresh")).status_code == 401
