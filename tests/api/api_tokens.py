"""API token test helpers: accounts that chose their own password, tokens minted for them, and the
bearer header that uses one."""

from httpx import AsyncClient

from tests.fixtures.factories import unique

PASSWORD = "a-password-long-enough"
SET_BY_ADMIN = "the-admin-chose-this-one"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def new_user(admin: AsyncClient, role: str) -> tuple[str, str, str]:
    """A fresh account of `role` that chose its own password: its id, username and a signed-in
    JWT."""
    username = unique(f"tokens-{role}")
    user = (
        await admin.post(
            "/api/users", json={"username": username, "password": SET_BY_ADMIN, "role": role}
        )
    ).json()
    first = (
        await admin.post("/api/auth/token", data={"username": username, "password": SET_BY_ADMIN})
    ).json()["access_token"]
    changed = await admin.post(
        "/api/auth/password",
        headers=bearer(first),
        json={"current_password": SET_BY_ADMIN, "new_password": PASSWORD},
    )
    assert changed.status_code == 204, changed.text
    signed_in = await admin.post(
        "/api/auth/token", data={"username": username, "password": PASSWORD}
    )
    return user["id"], username, signed_in.json()["access_token"]


async def mint(client: AsyncClient, jwt: str | None = None, **body) -> dict:
    headers = bearer(jwt) if jwt else {}
    response = await client.post(
        "/api/tokens", headers=headers, json={"name": unique("script")} | body
    )
    assert response.status_code == 201, response.text
    return response.json()
