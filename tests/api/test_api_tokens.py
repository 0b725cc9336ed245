"""API tokens for scripts: shown once, stored hashed, used as a bearer with a role capped by their owner's."""

import asyncio
import hashlib
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from netraven_shared.db.models import ApiToken, AuditEntry
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.open_log_stream import stream_until_closed
from tests.fixtures.factories import unique

PASSWORD = "a-password-long-enough"
SET_BY_ADMIN = "the-admin-chose-this-one"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def new_user(admin: AsyncClient, role: str) -> tuple[str, str, str]:
    """A fresh account of `role` that chose its own password: its id, username and a signed-in JWT."""
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


class TestCreation:
    async def test_the_secret_is_shown_once_and_only_its_hash_is_stored(
        self,
        viewer: AsyncClient,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        created = await mint(viewer, role="viewer")
        secret = created["secret"]
        assert secret.startswith("nrt_") and len(secret) >= 4 + 43
        assert secret.startswith(created["prefix"]) and len(created["prefix"]) < 16

        listed = await viewer.get("/api/tokens")
        assert (
            created["id"] in listed.text
            and secret not in listed.text
            and "secret" not in listed.text
        )
        async with sessions() as session:
            row = await session.get(ApiToken, created["id"])
            assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
            assert secret not in {row.name, row.prefix, row.secret_hash}
            entries = (
                await session.scalars(
                    select(AuditEntry).where(AuditEntry.object_id == created["id"])
                )
            ).all()
        assert [(e.action, e.actor_name, e.changes["role"]) for e in entries] == [
            ("api_token.create", "viewer", "viewer")
        ]
        assert secret not in str([(e.changes, e.detail) for e in entries]) and created[
            "prefix"
        ] not in str(entries[0].changes)

    async def test_expiry_defaults_to_90_days_and_is_capped_at_a_year(
        self, viewer: AsyncClient
    ) -> None:
        created = await mint(viewer)
        lifetime = datetime.fromisoformat(created["expires_at"]) - datetime.now(UTC)
        assert timedelta(days=89) < lifetime <= timedelta(days=90)
        assert created["role"] == "viewer"
        too_far = (datetime.now(UTC) + timedelta(days=400)).isoformat()
        for body in (
            {"expires_in_days": 366},
            {"expires_at": too_far},
            {"expires_in_days": 5, "expires_at": too_far},
        ):
            assert (
                await viewer.post("/api/tokens", json={"name": unique("bad")} | body)
            ).status_code == 422
        at = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
        assert (
            datetime.fromisoformat((await mint(viewer, expires_at=at.isoformat()))["expires_at"])
            == at
        )

    async def test_a_duplicate_name_for_the_same_user_is_409_but_another_user_may_use_it(
        self,
        viewer: AsyncClient,
        operator: AsyncClient,
    ) -> None:
        name = unique("same")
        await mint(viewer, name=name)
        response = await viewer.post("/api/tokens", json={"name": name})
        assert (
            response.status_code == 409 and "already have a token named" in response.json()["error"]
        )
        await mint(operator, name=name)

    async def test_a_viewer_cannot_mint_an_operator_token(self, viewer: AsyncClient) -> None:
        response = await viewer.post("/api/tokens", json={"name": unique("up"), "role": "operator"})
        assert response.status_code == 403
        assert "at most your own" in response.json()["error"]


class TestUse:
    async def test_a_token_works_as_a_bearer_with_its_role_and_records_its_last_use(
        self,
        admin: AsyncClient,
        anonymous: AsyncClient,
    ) -> None:
        _, _, jwt = await new_user(admin, "operator")
        token = await mint(anonymous, jwt, role="viewer")
        assert (
            await anonymous.get("/api/devices", headers=bearer(token["secret"]))
        ).status_code == 200
        refused = await anonymous.post(
            "/api/tags", headers=bearer(token["secret"]), json={"name": unique("t")}
        )
        assert refused.status_code == 403 and "this API token's role" in refused.json()["error"]

        mine = (await anonymous.get("/api/tokens", headers=bearer(jwt))).json()
        used = next(t for t in mine if t["id"] == token["id"])
        assert used["last_used_at"] is not None and used["last_used_address"] == "127.0.0.1"
        await anonymous.get("/api/devices", headers=bearer(token["secret"]))
        again = next(
            t
            for t in (await anonymous.get("/api/tokens", headers=bearer(jwt))).json()
            if t["id"] == token["id"]
        )
        assert again["last_used_at"] == used["last_used_at"], (
            "a second use within the minute is not written"
        )

    async def test_an_operator_token_of_an_admin_cannot_call_admin_endpoints(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        secret = (await mint(admin, role="operator"))["secret"]
        assert (await anonymous.get("/api/users", headers=bearer(secret))).status_code == 403
        assert (
            await anonymous.get("/api/tokens", headers=bearer(secret), params={"all": "true"})
        ).status_code == 403
        created = await anonymous.post(
            "/api/tags", headers=bearer(secret), json={"name": unique("by-token")}
        )
        assert created.status_code == 201

    async def test_demoting_the_owner_lowers_the_token_at_once(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        user_id, _, jwt = await new_user(admin, "operator")
        secret = (await mint(anonymous, jwt, role="operator"))["secret"]
        assert (
            await anonymous.post("/api/tags", headers=bearer(secret), json={"name": unique("t")})
        ).status_code == 201
        assert (
            await admin.patch(f"/api/users/{user_id}", json={"role": "viewer"})
        ).status_code == 200
        assert (
            await anonymous.post("/api/tags", headers=bearer(secret), json={"name": unique("t")})
        ).status_code == 403
        assert (await anonymous.get("/api/tags", headers=bearer(secret))).status_code == 200

    async def test_a_disabled_owners_token_is_401_and_stays_revoked(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        user_id, _, jwt = await new_user(admin, "viewer")
        token = await mint(anonymous, jwt)
        await admin.patch(f"/api/users/{user_id}", json={"is_active": False})
        assert (
            await anonymous.get("/api/devices", headers=bearer(token["secret"]))
        ).status_code == 401
        await admin.patch(f"/api/users/{user_id}", json={"is_active": True})
        response = await anonymous.get("/api/devices", headers=bearer(token["secret"]))
        assert (
            response.status_code == 401 and response.json()["error"] == "this API token was revoked"
        )

    async def test_an_expired_token_is_401(
        self,
        viewer: AsyncClient,
        anonymous: AsyncClient,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        token = await mint(viewer, expires_in_days=1)
        assert (
            await anonymous.get("/api/devices", headers=bearer(token["secret"]))
        ).status_code == 200
        async with sessions() as session:
            await session.execute(
                update(ApiToken)
                .where(ApiToken.id == token["id"])
                .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )
            await session.commit()
        response = await anonymous.get("/api/devices", headers=bearer(token["secret"]))
        assert response.status_code == 401 and "expired" in response.json()["error"]

    async def test_an_unknown_token_is_401(self, anonymous: AsyncClient) -> None:
        assert (
            await anonymous.get("/api/devices", headers=bearer("nrt_" + "x" * 43))
        ).status_code == 401


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
