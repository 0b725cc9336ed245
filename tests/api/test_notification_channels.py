"""Notification channels: admins add Apprise URLs and signed webhooks; the targets and signing keys
are stored encrypted and never shown again (a generated key once, at creation)."""

from uuid import uuid4

import pytest
from httpx import AsyncClient
from netraven_shared.db.models import NotificationChannel

from tests.api.audit_entries import newest
from tests.api.notification_channels import (
    SLACK_URL,
    WEBHOOK_URL,
    assert_hidden,
    create_channel,
)
from tests.fixtures.api import CIPHER
from tests.fixtures.factories import unique

CHANNELS = "/api/notifications/channels"


class TestSecretsStayHidden:
    async def test_an_apprise_channel_shows_its_scheme_only(self, admin: AsyncClient) -> None:
        created = await create_channel(admin, digest_minutes=15)
        assert created["target_display"] == "slack://"
        assert (created["kind"], created["digest_minutes"], created["enabled"]) == (
            "apprise",
            15,
            True,
        )
        assert created["has_hmac_secret"] is False
        assert created["hmac_secret"] is None
        for response in (
            await admin.get(CHANNELS),
            await admin.get(f"{CHANNELS}/{created['id']}"),
        ):
            assert response.status_code == 200
            assert_hidden(response.json())
        assert_hidden(await newest(admin, "notification_channel.create", object_id=created["id"]))

    async def test_a_webhook_gets_a_generated_key_shown_once(
        self, admin: AsyncClient, sessions
    ) -> None:
        created = await create_channel(admin, kind="webhook", url=WEBHOOK_URL)
        key = created["hmac_secret"]
        assert key and len(key) >= 32
        assert created["target_display"] == "https://hooks.example.net:8443"
        assert created["has_hmac_secret"] is True
        one = (await admin.get(f"{CHANNELS}/{created['id']}")).json()
        assert "hmac_secret" not in one
        assert_hidden(one, key)
        assert_hidden((await admin.get(CHANNELS)).json(), key)
        entry = await newest(admin, "notification_channel.create", object_id=created["id"])
        assert entry["changes"]["url"] == "(changed)"
        assert_hidden(entry, key)
        async with sessions() as session:
            row = await session.get(NotificationChannel, created["id"])
            assert WEBHOOK_URL.encode() not in row.target_encrypted
            sealed = {"key_id": row.key_id, "credential": "test"}
            assert CIPHER.decrypt(row.target_encrypted, **sealed) == WEBHOOK_URL
            assert CIPHER.decrypt(row.hmac_secret_encrypted, **sealed) == key

    async def test_a_key_given_is_kept_and_not_echoed(self, admin: AsyncClient, sessions) -> None:
        key = "given-signing-key-0123456789"
        created = await create_channel(admin, kind="webhook", url=WEBHOOK_URL, hmac_secret=key)
        assert created["hmac_secret"] is None
        assert_hidden(created, key)
        entry = await newest(admin, "notification_channel.create", object_id=created["id"])
        assert entry["changes"]["hmac_secret"] == "(changed)"
        async with sessions() as session:
            row = await session.get(NotificationChannel, created["id"])
            sealed = {"key_id": row.key_id, "credential": "test"}
            assert CIPHER.decrypt(row.hmac_secret_encrypted, **sealed) == key


class TestUpdate:
    async def test_without_url_the_target_is_kept(self, admin: AsyncClient, sessions) -> None:
        created = await create_channel(admin, kind="webhook", url=WEBHOOK_URL)
        response = await admin.patch(
            f"{CHANNELS}/{created['id']}", json={"enabled": False, "digest_minutes": 60}
        )
        assert response.status_code == 200, response.text
        assert (response.json()["enabled"], response.json()["digest_minutes"]) == (False, 60)
        async with sessions() as session:
            row = await session.get(NotificationChannel, created["id"])
            sealed = {"key_id": row.key_id, "credential": "test"}
            assert CIPHER.decrypt(row.target_encrypted, **sealed) == WEBHOOK_URL

    async def test_a_new_url_is_sealed_and_audited_without_its_value(
        self, admin: AsyncClient
    ) -> None:
        created = await create_channel(admin)
        new_url = "json://receiver.example.org:9000/in?secret=json-token-3c"
        response = await admin.patch(f"{CHANNELS}/{created['id']}", json={"url": new_url})
        assert response.status_code == 200, response.text
        assert response.json()["target_display"] == "json://receiver.example.org:9000"
        entry = await newest(admin, "notification_channel.update", object_id=created["id"])
        assert entry["changes"]["url"] == "(changed)"
        assert_hidden(entry, "json-token-3c")

    async def test_digest_null_sends_at_once_again(self, admin: AsyncClient) -> None:
        created = await create_channel(admin, digest_minutes=30)
        response = await admin.patch(f"{CHANNELS}/{created['id']}", json={"digest_minutes": None})
        assert response.json()["digest_minutes"] is None

    async def test_a_taken_name_is_a_conflict(self, admin: AsyncClient) -> None:
        first, second = await create_channel(admin), await create_channel(admin)
        response = await admin.patch(f"{CHANNELS}/{second['id']}", json={"name": first["name"]})
        assert response.status_code == 409


class TestValidation:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"kind": "apprise", "url": "nosuchscheme://host/x"}, "url"),
            ({"kind": "apprise", "url": "slack://"}, "url"),
            ({"kind": "apprise", "url": "no scheme at all"}, "url"),
            ({"kind": "webhook", "url": "ftp://hooks.example.net/x"}, "url"),
            ({"kind": "webhook", "url": "https://[::1/x"}, "url"),
            ({"kind": "apprise", "url": SLACK_URL, "hmac_secret": "x" * 20}, "hmac_secret"),
            ({"kind": "sms", "url": SLACK_URL}, "kind"),
            ({"kind": "webhook", "url": WEBHOOK_URL, "hmac_secret": "short"}, "hmac_secret"),
            ({"kind": "apprise", "url": SLACK_URL, "digest_minutes": 0}, "digest_minutes"),
        ],
    )
    async def test_a_bad_channel_is_a_422_naming_the_field(
        self, admin: AsyncClient, body: dict, field: str
    ) -> None:
        response = await admin.post(CHANNELS, json={"name": unique("bad")} | body)
        assert response.status_code == 422, response.text
        assert field in response.text
        assert_hidden(response.json())

    async def test_an_unknown_scheme_is_named(self, admin: AsyncClient) -> None:
        response = await admin.post(
            CHANNELS, json={"name": unique("bad"), "kind": "apprise", "url": "slak://a/b/c"}
        )
        assert response.json()["error"] == "url: 'slak://' is not a scheme Apprise knows"


class TestAccess:
    async def test_only_admins_see_or_change_channels(
        self, admin: AsyncClient, operator: AsyncClient, viewer: AsyncClient
    ) -> None:
        created = await create_channel(admin)
        for client in (operator, viewer):
            assert (await client.get(CHANNELS)).status_code == 403
            assert (await client.get(f"{CHANNELS}/{created['id']}")).status_code == 403
            body = {"name": unique("c"), "kind": "apprise", "url": SLACK_URL}
            assert (await client.post(CHANNELS, json=body)).status_code == 403
            patch = await client.patch(f"{CHANNELS}/{created['id']}", json={"enabled": False})
            assert patch.status_code == 403
            assert (await client.delete(f"{CHANNELS}/{created['id']}")).status_code == 403
            assert (await client.post(f"{CHANNELS}/{created['id']}/test")).status_code == 403


class TestDelete:
    async def test_delete_takes_its_rules_along(self, admin: AsyncClient) -> None:
        created = await create_channel(admin)
        rule = await admin.post(
            "/api/notifications/rules",
            json={"name": unique("r"), "channel_id": created["id"], "event_kinds": ["stale"]},
        )
        assert rule.status_code == 201, rule.text
        assert (await admin.delete(f"{CHANNELS}/{created['id']}")).status_code == 204
        assert (await admin.get(f"{CHANNELS}/{created['id']}")).status_code == 404
        gone = await admin.get(f"/api/notifications/rules/{rule.json()['id']}")
        assert gone.status_code == 404
        entry = await newest(admin, "notification_channel.delete", object_id=created["id"])
        assert entry["changes"] == {"name": created["name"]}

    async def test_an_unknown_channel_is_404(self, admin: AsyncClient) -> None:
        assert (await admin.delete(f"{CHANNELS}/{uuid4()}")).status_code == 404
