"""Revocation: raising an account's token version ends every session it has, streams included."""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import jwt
import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from tests.api.open_log_stream import stream_until_closed
from tests.fixtures.api import JWT_SECRET
from tests.fixtures.factories import unique

PASSWORD = "a-password-long-enough"
SET_BY_ADMIN = "the-admin-chose-this-one"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def new_user(admin: AsyncClient, role: str = "viewer") -> tuple[str, str]:
    """A fresh account that chose its own password (the shared fixtures' sessions must survive these
    tests): its id and username."""
    username = unique("session")
    user = (
        await admin.post(
            "/api/users", json={"username": username, "password": SET_BY_ADMIN, "role": role}
        )
    ).json()
    first = (
        await admin.post("/api/auth/token", data={"username": username, "password": SET_BY_ADMIN})
    ).json()["access_token"]
    chosen = await admin.post(
        "/api/auth/password",
        headers=bearer(first),
        json={"current_password": SET_BY_ADMIN, "new_password": PASSWORD},
    )
    assert chosen.status_code == 204, chosen.text
    return user["id"], username


async def sign_in(anonymous: AsyncClient, username: str, password: str = PASSWORD) -> str:
    response = await anonymous.post(
        "/api/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


async def status_of_me(anonymous: AsyncClient, token: str) -> int:
    return (await anonymous.get("/api/users/me", headers=bearer(token))).status_code


class TestAdminChangesEndSessions:
    @pytest.mark.parametrize(
        "change", [{"password": "a-new-password-from-the-admin"}, {"role": "operator"}]
    )
    async def test_every_older_token_is_401_at_once(
        self, change: dict, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        user_id, username = await new_user(admin)
        tokens = [await sign_in(anonymous, username) for _ in range(2)]
        assert [await status_of_me(anonymous, t) for t in tokens] == [200, 200]

        assert (await admin.patch(f"/api/users/{user_id}", json=change)).status_code == 200

        for token in tokens:
            response = await anonymous.get("/api/users/me", headers=bearer(token))
            assert response.status_code == 401
            assert response.json()["error"] == "your session was ended: sign in again"
        password = change.get("password", PASSWORD)
        assert await status_of_me(anonymous, await sign_in(anonymous, username, password)) == 200

    async def test_disabling_ends_every_session(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        user_id, username = await new_user(admin)
        token = await sign_in(anonymous, username)
        await admin.patch(f"/api/users/{user_id}", json={"is_active": False})
        assert await status_of_me(anonymous, token) == 401
        await admin.patch(f"/api/users/{user_id}", json={"is_active": True})
        assert await status_of_me(anonymous, token) == 401, (
            "re-enabling must not bring old tokens back"
        )

    async def test_an_unchanged_role_keeps_sessions(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        user_id, username = await new_user(admin)
        token = await sign_in(anonymous, username)
        await admin.patch(f"/api/users/{user_id}", json={"role": "viewer"})
        assert await status_of_me(anonymous, token) == 200


class TestSignOutEverywhere:
    async def test_ends_the_callers_tokens_and_no_one_elses(
        self,
        admin: AsyncClient,
        anonymous: AsyncClient,
        viewer: AsyncClient,
    ) -> None:
        _, username = await new_user(admin)
        this, other = await sign_in(anonymous, username), await sign_in(anonymous, username)
        stream = (await anonymous.post("/api/logs/stream-token", headers=bearer(other))).json()[
            "token"
        ]

        response = await anonymous.post("/api/auth/sign-out-everywhere", headers=bearer(this))

        assert response.status_code == 204
        assert (await status_of_me(anonymous, this), await status_of_me(anonymous, other)) == (
            401,
            401,
        )
        opened = await anonymous.get("/api/logs/stream", params={"token": stream})
        assert opened.status_code == 401
        assert (await viewer.get("/api/users/me")).status_code == 200


class TestRefreshCap:
    async def test_refresh_keeps_the_sign_in_time(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        _, username = await new_user(admin)
        token = await sign_in(anonymous, username)
        refreshed = (await anonymous.post("/api/auth/refresh", headers=bearer(token))).json()[
            "access_token"
        ]
        claims = [jwt.decode(t, JWT_SECRET, algorithms=["HS256"]) for t in (token, refreshed)]
        assert claims[0]["auth_time"] == claims[1]["auth_time"]

    @pytest.mark.parametrize(("hours_ago", "status"), [(11.5, 200), (12.5, 401)])
    async def test_refused_once_the_sign_in_is_older_than_the_cap(
        self,
        hours_ago: float,
        status: int,
        admin: AsyncClient,
        anonymous: AsyncClient,
    ) -> None:
        _, username = await new_user(admin)
        claims = jwt.decode(await sign_in(anonymous, username), JWT_SECRET, algorithms=["HS256"])
        signed_in_at = datetime.now(UTC) - timedelta(hours=hours_ago)
        old = jwt.encode(
            claims | {"auth_time": int(signed_in_at.timestamp())}, JWT_SECRET, algorithm="HS256"
        )

        response = await anonymous.post("/api/auth/refresh", headers=bearer(old))

        assert response.status_code == status
        if status == 401:
            assert response.json()["error"] == "signed in too long ago: sign in again"


class TestOpenStream:
    async def test_closes_within_seconds_of_the_user_being_disabled(
        self,
        api_app: FastAPI,
        admin: AsyncClient,
        anonymous: AsyncClient,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(api_app.state.settings, "stream_recheck_seconds", 1.0)
        user_id, username = await new_user(admin)
        token = await sign_in(anonymous, username)
        stream_token = (
            await anonymous.post("/api/logs/stream-token", headers=bearer(token))
        ).json()["token"]
        opened = asyncio.Event()
        query = urlencode({"token": stream_token}).encode()
        stream = asyncio.create_task(stream_until_closed(api_app, opened, query_string=query))
        async with asyncio.timeout(5):
            await opened.wait()
        await asyncio.sleep(1.5)
        assert not stream.done(), "the stream must stay open while the account is fine"

        await admin.patch(f"/api/users/{user_id}", json={"is_active": False})
        disabled_at = time.monotonic()

        async with asyncio.timeout(5):
            await stream
        assert time.monotonic() - disabled_at < 4
