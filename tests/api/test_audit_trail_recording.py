"""What the audit trail records on its own: sign-ins, refused requests and config reads. Reading the
trail through the api and its retention are in test_audit_trail_api.py."""

import random
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from netraven_api.audit.actions import ACTIONS, NOT_RECORDED, STATE_CHANGING
from netraven_shared.events import subjects
from netraven_shared.events.config_read import (
    ConfigDiffReply,
    ConfigDiffRequest,
    ConfigReadReply,
    ConfigReadRequest,
    ConfigSearchReply,
    ConfigSearchRequest,
)
from netraven_shared.messaging import build_broker
from netraven_shared.settings import NetRavenSettings

from tests.api.audit_entries import assert_no_secret, newest
from tests.fixtures.api import VIEWER_PASSWORD
from tests.fixtures.factories import create_device, record_version, unique
from tests.fixtures.infra import Infra

CONFIG_TEXT = "hostname audited\nntp server 10.0.0.1\n"


class TestSignIns:
    async def test_a_failed_sign_in_names_the_username_tried_and_never_the_password(
        self,
        admin: AsyncClient,
        anonymous: AsyncClient,
    ) -> None:
        name = unique("nobody")
        response = await anonymous.post(
            "/api/auth/token", data={"username": name, "password": "guessed-Password-1"}
        )
        assert response.status_code == 401
        entry = await newest(admin, "auth.sign_in", actor=name)
        assert (entry["actor_id"], entry["outcome"], entry["source_address"]) == (
            None,
            "failed",
            "127.0.0.1",
        )
        assert entry["changes"] == {"method": "local"}
        assert_no_secret(entry, "guessed-Password-1")

    async def test_a_successful_sign_in_names_the_account(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        response = await anonymous.post(
            "/api/auth/token", data={"username": "viewer", "password": VIEWER_PASSWORD}
        )
        assert response.status_code == 200
        entry = await newest(admin, "auth.sign_in", actor="viewer", outcome="success")
        assert (entry["actor_role"], entry["object_type"], entry["object_id"]) == (
            "viewer",
            "user",
            entry["actor_id"],
        )
        assert_no_secret(entry, VIEWER_PASSWORD)

    async def test_a_throttled_sign_in_is_recorded_as_throttled(
        self, api_app: FastAPI, admin: AsyncClient
    ) -> None:
        address, name = (
            f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}",
            unique("throttled"),
        )
        async with AsyncClient(
            transport=ASGITransport(app=api_app, client=(address, 123)), base_url="http://api.test"
        ) as client:
            statuses = [
                (
                    await client.post(
                        "/api/auth/token", data={"username": name, "password": "wrong-Password-1"}
                    )
                ).status_code
                for _ in range(api_app.state.settings.login_backoff_after_failures + 1)
            ]
        assert statuses[-1] == 429
        entry = await newest(admin, "auth.sign_in", actor=name)
        assert (entry["outcome"], entry["source_address"]) == ("throttled", address)


class TestRefusals:
    async def test_a_request_the_role_forbids_is_recorded_as_denied(
        self, admin: AsyncClient, viewer: AsyncClient
    ) -> None:
        device = await create_device(admin, 2950, unique("audit"))
        assert (
            await viewer.patch(f"/api/devices/{device['id']}", json={"port": 1})
        ).status_code == 403
        entry = await newest(admin, "device.update", object_id=device["id"], outcome="denied")
        assert (entry["actor_name"], entry["actor_role"], entry["object_type"]) == (
            "viewer",
            "viewer",
            "device",
        )
        assert entry["changes"] == {
            "method": "PATCH",
            "route": "/api/devices/{device_id}",
            "status": 403,
        }

    async def test_a_failed_change_is_recorded_and_its_success_entry_rolled_back(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        first, second = (
            await create_device(operator, 2951, unique("audit")),
            await create_device(operator, 2952, unique("audit")),
        )
        response = await operator.patch(
            f"/api/devices/{second['id']}", json={"hostname": first["hostname"]}
        )
        assert response.status_code == 409
        entry = await newest(admin, "device.update", object_id=second["id"])
        assert (entry["outcome"], entry["actor_name"], entry["changes"]["status"]) == (
            "failed",
            "operator",
            409,
        )

    async def test_an_anonymous_change_is_denied_without_an_actor(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        name = unique("anon")
        assert (await anonymous.post("/api/tags", json={"name": name})).status_code == 401
        entry = await newest(admin, "tag.create", outcome="denied")
        assert (entry["actor_id"], entry["actor_name"], entry["changes"]["status"]) == (
            None,
            None,
            401,
        )
        assert name not in str(entry)

    def test_every_state_changing_route_has_an_action(self, api_app: FastAPI) -> None:
        routes = {
            f"{method.upper()} {path}"
            for path, operations in api_app.openapi()["paths"].items()
            for method in operations
            if method.upper() in STATE_CHANGING and path not in NOT_RECORDED
        }
        assert routes == set(ACTIONS)


@pytest.fixture
async def fake_gitkeeper_read(infra: Infra) -> AsyncIterator[None]:
    """Answers every read, diff and search with CONFIG_TEXT (a search finds nothing)."""
    broker = build_broker(NetRavenSettings(**infra.nats_settings()), "tests", "fake-gitkeeper-read")

    @broker.subscriber(subjects.CONFIG_READ)
    async def read(request: ConfigReadRequest) -> ConfigReadReply:
        return ConfigReadReply(found=True, config_text=CONFIG_TEXT)

    @broker.subscriber(subjects.CONFIG_DIFF)
    async def diff(request: ConfigDiffRequest) -> ConfigDiffReply:
        return ConfigDiffReply(
            found=True,
            from_commit=request.from_commit,
            to_commit=request.to_commit,
            added=1,
            removed=0,
            config_text=CONFIG_TEXT,
        )

    @broker.subscriber(subjects.CONFIG_SEARCH)
    async def search(request: ConfigSearchRequest) -> ConfigSearchReply:
        return ConfigSearchReply(truncated=False, results=[])

    await broker.start()
    yield
    await broker.stop()


class TestConfigReads:
    async def test_reading_a_config_is_recorded_with_its_commit(
        self, admin: AsyncClient, viewer: AsyncClient, sessions, fake_gitkeeper_read
    ) -> None:
        device = await create_device(admin, 2953, unique("audit"))
        commit = await record_version(sessions, device["id"])
        response = await viewer.get(f"/api/devices/{device['id']}/configs/{commit}")
        assert response.status_code == 200, response.text
        entry = await newest(admin, "config.read", object_id=device["id"])
        assert (entry["actor_name"], entry["object_type"], entry["changes"]) == (
            "viewer",
            "device",
            {"commit": commit},
        )
        assert_no_secret(entry, CONFIG_TEXT)

    async def test_a_diff_is_recorded_with_both_commits(
        self, admin: AsyncClient, viewer: AsyncClient, sessions, fake_gitkeeper_read
    ) -> None:
        device = await create_device(admin, 2954, unique("audit"))
        old, new = (
            await record_version(sessions, device["id"]),
            await record_version(sessions, device["id"]),
        )
        response = await viewer.get(
            f"/api/devices/{device['id']}/configs/diff", params={"from": old, "to": new}
        )
        assert response.status_code == 200, response.text
        entry = await newest(admin, "config.diff", object_id=device["id"])
        assert (entry["actor_name"], entry["changes"]) == ("viewer", {"from": old, "to": new})
        assert_no_secret(entry, CONFIG_TEXT)

    async def test_a_search_is_recorded_with_its_text(
        self, admin: AsyncClient, viewer: AsyncClient, fake_gitkeeper_read
    ) -> None:
        text = unique("ntp")
        assert (await viewer.get("/api/configs/search", params={"q": text})).status_code == 200
        entry = await newest(admin, "config.search", actor="viewer")
        assert entry["changes"] == {"text": text, "devices_found": 0}
