"""API tokens for scripts: shown once, stored hashed, used as a bearer with a role capped by their
owner's. Creating and using them; what they may not do and revoking them is in
test_api_token_limits_and_revocation.py."""

import hashlib
from datetime import UTC, datetime, timedelta

from httpx import AsyncClient
from netraven_shared.db.models import ApiToken, AuditEntry
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.api_tokens import bearer, mint, new_user
from tests.fixtures.factories import unique


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
