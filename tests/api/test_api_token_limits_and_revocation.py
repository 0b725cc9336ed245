"""API tokens for scripts: what a token may not do, listing and revoking tokens, and a log stream
opened with one closing once it is revoked. Creating and using them is in test_api_tokens.py."""

import asyncio
import time

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from netraven_shared.db.models import ApiToken, AuditEntry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.api_tokens import PASSWORD, bearer, mint, new_user
from tests.api.open_log_stream import stream_until_closed
from tests.fixtures.factories import unique


class TestWhatATokenMayNotDo:
    async def test_a_token_cannot_mint_tokens_refresh_or_touch_the_password_or_sessions(
        self,
        admin: AsyncClient,
        anonymous: AsyncClient,
    ) -> None:
        _, _, jwt = await new_user(admin, "operator")
        secret = (await mint(anonymous, jwt, role="operator"))["secret"]
        minted = await anonymous.post(
            "/api/tokens", headers=bearer(secret), json={"name": unique("child"), "role": "viewer"}
        )
        assert (
            minted.status_code == 403 and minted.json()["detail"]["reason"] == "api_token_refused"
        )
        assert (
            await anonymous.post("/api/auth/refresh", headers=bearer(secret))
        ).status_code == 401
        password = {"current_password": PASSWORD, "new_password": "another-long-password"}
        assert (
            await anonymous.post("/api/auth/password", headers=bearer(secret), json=password)
        ).status_code == 403
        assert (
            await anonymous.post("/api/auth/sign-out-everywhere", headers=bearer(secret))
        ).status_code == 403
        assert (
            await anonymous.post("/api/logs/stream-token", headers=bearer(secret))
        ).status_code == 403
        assert (await anonymous.get("/api/devices", headers=bearer(secret))).status_code == 200, (
            "still valid"
        )

    async def test_a_password_change_keeps_tokens_but_signing_out_everywhere_revokes_them(
        self,
        admin: AsyncClient,
        anonymous: AsyncClient,
    ) -> None:
        _, username, jwt = await new_user(admin, "viewer")
        secret = (await mint(anonymous, jwt))["secret"]
        changed = await anonymous.post(
            "/api/auth/password",
            headers=bearer(jwt),
            json={"current_password": PASSWORD, "new_password": "another-long-password"},
        )
        assert changed.status_code == 204
        assert (await anonymous.get("/api/devices", headers=bearer(secret))).status_code == 200
        again = await anonymous.post(
            "/api/auth/token", data={"username": username, "password": "another-long-password"}
        )
        assert (
            await anonymous.post(
                "/api/auth/sign-out-everywhere", headers=bearer(again.json()["access_token"])
            )
        ).status_code == 204
        response = await anonymous.get("/api/devices", headers=bearer(secret))
        assert (
            response.status_code == 401 and response.json()["error"] == "this API token was revoked"
        )


class TestListingAndRevoking:
    async def test_another_user_cannot_revoke_it_but_its_owner_and_an_admin_can(
        self,
        admin: AsyncClient,
        viewer: AsyncClient,
        operator: AsyncClient,
        anonymous: AsyncClient,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        first, second = await mint(viewer), await mint(viewer)
        assert (await operator.delete(f"/api/tokens/{first['id']}")).status_code == 404
        assert (
            await anonymous.get("/api/devices", headers=bearer(first["secret"]))
        ).status_code == 200

        assert (await viewer.delete(f"/api/tokens/{first['id']}")).status_code == 204
        response = await anonymous.get("/api/devices", headers=bearer(first["secret"]))
        assert (
            response.status_code == 401 and response.json()["error"] == "this API token was revoked"
        )
        assert (await admin.delete(f"/api/tokens/{second['id']}")).status_code == 204
        assert (
            await anonymous.get("/api/devices", headers=bearer(second["secret"]))
        ).status_code == 401
        listed = {t["id"]: t for t in (await viewer.get("/api/tokens")).json()}
        assert listed[first["id"]]["revoked_at"] and listed[second["id"]]["revoked_at"]
        async with sessions() as session:
            revocations = (
                await session.scalars(
                    select(AuditEntry.actor_name).where(
                        AuditEntry.object_id == second["id"],
                        AuditEntry.action == "api_token.revoke",
                    )
                )
            ).all()
        assert revocations == ["admin"]

    async def test_admins_list_everyones_tokens_with_their_owner_and_others_only_their_own(
        self,
        admin: AsyncClient,
        viewer: AsyncClient,
        operator: AsyncClient,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        token = await mint(viewer)
        everyone = (await admin.get("/api/tokens", params={"all": "true"})).json()
        assert next(t for t in everyone if t["id"] == token["id"])["owner_username"] == "viewer"
        of_viewer = (await admin.get("/api/tokens", params={"user_id": token["owner_id"]})).json()
        assert {t["owner_username"] for t in of_viewer} == {"viewer"} and token["id"] in {
            t["id"] for t in of_viewer
        }
        assert token["id"] not in {t["id"] for t in (await admin.get("/api/tokens")).json()}
        assert token["id"] not in {t["id"] for t in (await operator.get("/api/tokens")).json()}
        assert (await operator.get("/api/tokens", params={"all": "true"})).status_code == 403
        assert (
            await operator.get("/api/tokens", params={"user_id": token["owner_id"]})
        ).status_code == 403
        async with sessions() as session:
            count = len(
                (
                    await session.scalars(
                        select(ApiToken.id).where(ApiToken.user_id == token["owner_id"])
                    )
                ).all()
            )
        assert len(of_viewer) == count


class TestOpenStream:
    async def test_a_stream_opened_with_a_token_closes_once_the_token_is_revoked(
        self,
        api_app: FastAPI,
        viewer: AsyncClient,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(api_app.state.settings, "stream_recheck_seconds", 1.0)
        token = await mint(viewer)
        opened = asyncio.Event()
        bearer = (b"authorization", f"Bearer {token['secret']}".encode())
        stream = asyncio.create_task(stream_until_closed(api_app, opened, headers=(bearer,)))
        async with asyncio.timeout(5):
            await opened.wait()
        await asyncio.sleep(1.5)
        assert not stream.done(), "the stream must stay open while the token is valid"

        assert (await viewer.delete(f"/api/tokens/{token['id']}")).status_code == 204
        revoked_at = time.monotonic()
        async with asyncio.timeout(5):
            await stream
        assert time.monotonic() - revoked_at < 4
