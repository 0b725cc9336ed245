"""Notification rules: which event kinds, at which severity, for which tags, go to which channel."""

from uuid import uuid4

import pytest
from httpx import AsyncClient

from tests.api.audit_entries import newest
from tests.api.notification_channels import create_channel
from tests.fixtures.factories import unique

RULES = "/api/notifications/rules"


@pytest.fixture
async def channel(admin: AsyncClient) -> dict:
    return await create_channel(admin)


async def create_rule(admin: AsyncClient, channel: dict, **fields) -> dict:
    body = {
        "name": unique("rule"),
        "channel_id": channel["id"],
        "event_kinds": ["backup_failed", "config_changed"],
    } | fields
    response = await admin.post(RULES, json=body)
    assert response.status_code == 201, response.text
    return response.json()


class TestCrud:
    async def test_create_read_list(self, admin: AsyncClient, channel: dict) -> None:
        tag = unique("site")
        created = await create_rule(
            admin, channel, min_severity="critical", tags=[tag], event_kinds=["stale", "stale"]
        )
        assert created["event_kinds"] == ["stale"]
        assert (created["min_severity"], created["tags"], created["enabled"]) == (
            "critical",
            [tag],
            True,
        )
        assert created["from_environment"] is False
        assert (await admin.get(f"{RULES}/{created['id']}")).json() == created
        assert created in (await admin.get(RULES)).json()
        tags = [t["name"] for t in (await admin.get("/api/tags")).json()]
        assert tag in tags
        entry = await newest(admin, "notification_rule.create", object_id=created["id"])
        assert entry["changes"]["event_kinds"] == ["stale", "stale"]

    async def test_no_tags_means_every_device_not_the_default_tag(
        self, admin: AsyncClient, channel: dict
    ) -> None:
        assert (await create_rule(admin, channel))["tags"] == []

    async def test_update_changes_only_what_is_sent(
        self, admin: AsyncClient, channel: dict
    ) -> None:
        created = await create_rule(admin, channel, tags=[unique("t")])
        other = await create_channel(admin)
        response = await admin.patch(
            f"{RULES}/{created['id']}",
            json={"channel_id": other["id"], "tags": [], "min_severity": "warning"},
        )
        assert response.status_code == 200, response.text
        updated = response.json()
        assert (updated["channel_id"], updated["tags"], updated["min_severity"]) == (
            other["id"],
            [],
            "warning",
        )
        assert updated["event_kinds"] == created["event_kinds"]
        entry = await newest(admin, "notification_rule.update", object_id=created["id"])
        assert entry["changes"]["min_severity"] == {"old": "info", "new": "warning"}

    async def test_delete(self, admin: AsyncClient, channel: dict) -> None:
        created = await create_rule(admin, channel)
        assert (await admin.delete(f"{RULES}/{created['id']}")).status_code == 204
        assert (await admin.get(f"{RULES}/{created['id']}")).status_code == 404
        assert (await admin.delete(f"{RULES}/{created['id']}")).status_code == 404

    async def test_a_taken_name_is_a_conflict(self, admin: AsyncClient, channel: dict) -> None:
        created = await create_rule(admin, channel)
        response = await admin.post(
            RULES,
            json={"name": created["name"], "channel_id": channel["id"], "event_kinds": ["test"]},
        )
        assert response.status_code == 409


class TestValidation:
    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"event_kinds": ["config_exploded"]}, "event_kinds"),
            ({"event_kinds": []}, "event_kinds"),
            ({"min_severity": "fatal"}, "min_severity"),
            ({"channel_id": str(uuid4())}, "channel_id"),
            ({"tags": [""]}, "tags"),
        ],
    )
    async def test_a_bad_rule_is_a_422_naming_the_field(
        self, admin: AsyncClient, channel: dict, fields: dict, field: str
    ) -> None:
        body = {"name": unique("r"), "channel_id": channel["id"], "event_kinds": ["stale"]}
        response = await admin.post(RULES, json=body | fields)
        assert response.status_code == 422, response.text
        assert field in response.text


class TestAccess:
    async def test_only_admins(
        self, admin: AsyncClient, operator: AsyncClient, viewer: AsyncClient, channel: dict
    ) -> None:
        created = await create_rule(admin, channel)
        for client in (operator, viewer):
            assert (await client.get(RULES)).status_code == 403
            body = {"name": unique("r"), "channel_id": channel["id"], "event_kinds": ["test"]}
            assert (await client.post(RULES, json=body)).status_code == 403
            patch = await client.patch(f"{RULES}/{created['id']}", json={"enabled": False})
            assert patch.status_code == 403
            assert (await client.delete(f"{RULES}/{created['id']}")).status_code == 403
