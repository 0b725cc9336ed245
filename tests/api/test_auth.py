import jwt
from httpx import AsyncClient

from tests.fixtures.api import ADMIN_PASSWORD, JWT_SECRET


class TestLogin:
    async def test_right_password_gives_a_bearer_token(self, anonymous: AsyncClient) -> None:
        response = await anonymous.post("/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD})
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        assert jwt.decode(body["access_token"], JWT_SECRET, algorithms=["HS256"])["role"] == "admin"

    async def test_wrong_password_and_unknown_user_get_the_same_answer(self, anonymous: AsyncClient) -> None:
        wrong = await anonymous.post("/api/auth/token", data={"username": "admin", "password": "nope"})
        unknown = await anonymous.post("/api/auth/token", data={"username": "ghost", "password": "nope"})
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == unknown.json() == {"error": "invalid username or password", "detail": None}

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
        forged = jwt.encode(jwt.decode(token, options={"verify_signature": False}), "another-key-entirely-0123456789abc", algorithm="HS256")
        response = await anonymous.get("/api/devices", headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401

    async def test_me_names_the_caller(self, admin: AsyncClient) -> None:
        response = await admin.get("/api/users/me")
        assert response.json()["username"] == "admin"
        assert response.json()["role"] == "admin"


class TestRoles:
    async def test_viewer_may_read(self, viewer: AsyncClient) -> None:
        assert (await viewer.get("/api/devices")).status_code == 200

    async def test_viewer_may_not_write_or_see_credentials(self, viewer: AsyncClient) -> None:
        created = await viewer.post("/api/devices", json={"hostname": "x", "ip_address": "10.0.0.1", "device_type": "cisco_ios"})
        assert created.status_code == 403
        assert "operator" in created.json()["error"]
        assert (await viewer.get("/api/credentials")).status_code == 403
