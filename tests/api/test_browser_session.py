"""The dashboard's session: the refresh token travels only in an httpOnly, SameSite=Strict cookie
scoped to /api/auth; the access token it yields lives in the page's memory."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from netraven_api.auth.security import hash_password
from netraven_shared.db.models import Role, User

from tests.fixtures.factories import unique

PASSWORD = "a-browser-users-password"


@pytest.fixture
async def username(api_app: FastAPI) -> str:
    """An account of the test's own: ending its sessions must not end the shared fixtures'."""
    name = unique("browser")
    async with api_app.state.sessions() as session:
        session.add(User(username=name, password_hash=hash_password(PASSWORD), role=Role.VIEWER))
        await session.commit()
    return name


@pytest.fixture
async def browser(api_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(
        transport=ASGITransport(app=api_app), base_url="http://api.test"
    ) as client:
        yield client


async def _sign_in(browser: AsyncClient, username: str) -> str:
    response = await browser.post(
        "/api/auth/token", data={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200
    return response.headers["set-cookie"]


async def test_sign_in_sets_a_refresh_cookie_scripts_cannot_read_and_other_sites_cannot_send(
    browser: AsyncClient, username: str
) -> None:
    cookie = (await _sign_in(browser, username)).lower()
    assert cookie.startswith("netraven_refresh=")
    for attribute in ("httponly", "samesite=strict", "path=/api/auth", "max-age="):
        assert attribute in cookie


async def test_the_cookie_alone_yields_a_working_access_token(
    browser: AsyncClient, username: str
) -> None:
    await _sign_in(browser, username)
    refreshed = await browser.post("/api/auth/refresh")
    assert refreshed.status_code == 200
    me = await browser.get(
        "/api/users/me", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    )
    assert me.json()["username"] == username


async def test_the_refresh_token_is_not_an_access_token(
    browser: AsyncClient, username: str
) -> None:
    await _sign_in(browser, username)
    refresh_token = browser.cookies["netraven_refresh"]
    assert (
        await browser.get("/api/users/me", headers={"Authorization": f"Bearer {refresh_token}"})
    ).status_code == 401


async def test_sign_out_forgets_the_cookie(browser: AsyncClient, username: str) -> None:
    await _sign_in(browser, username)
    assert (await browser.post("/api/auth/sign-out")).status_code == 204
    assert "netraven_refresh" not in browser.cookies
    refused = await browser.post("/api/auth/refresh")
    assert refused.status_code == 401
    assert "sign" in refused.json()["error"]


async def test_an_old_cookie_stops_working_once_every_session_is_ended(
    browser: AsyncClient, username: str, api_app: FastAPI
) -> None:
    async with AsyncClient(
        transport=ASGITransport(app=api_app), base_url="http://api.test"
    ) as elsewhere:
        await _sign_in(elsewhere, username)
        token = (await elsewhere.post("/api/auth/refresh")).json()["access_token"]
        await _sign_in(browser, username)
        assert (
            await elsewhere.post(
                "/api/auth/sign-out-everywhere", headers={"Authorization": f"Bearer {token}"}
            )
        ).status_code == 204
    assert (await browser.post("/api/auth/refresh")).status_code == 401
