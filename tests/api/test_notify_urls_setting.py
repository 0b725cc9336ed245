"""NETRAVEN_NOTIFY_URLS: at api start each URL becomes a read-only channel with a rule for every
event kind; restarts keep them, and a URL taken out of the setting takes its channel along."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient
from netraven_api.config import ApiSettings
from netraven_api.notifications.from_environment import apply_notify_urls, notify_urls
from netraven_shared.db.models.notification import EVENT_KINDS
from pydantic import SecretStr

from tests.api.notification_channels import assert_hidden

SLACK = "slack://T1ENV0001/B1ENV0001/envslacktoken0001"
MAIL = "mailto://alerts:env-mail-password@mail.example.com"
JSON = "json://receiver.example.org:9000/in"
CHANNELS, RULES = "/api/notifications/channels", "/api/notifications/rules"


@pytest.fixture
async def start_api(api_settings: ApiSettings, sessions) -> AsyncIterator:
    """What the api does at start with a given NETRAVEN_NOTIFY_URLS; the setting emptied after."""

    async def start(setting: str, min_severity: str = "warning"):
        settings = api_settings.model_copy(
            update={"notify_urls": SecretStr(setting), "notify_min_severity": min_severity}
        )
        return await apply_notify_urls(sessions, settings)

    yield start
    await start("")


async def environment_channels(admin: AsyncClient) -> dict[str, dict]:
    channels = (await admin.get(CHANNELS)).json()
    return {c["name"]: c for c in channels if c["from_environment"]}


class TestTheSetting:
    def test_comma_or_newline_separated_each_once(self) -> None:
        assert notify_urls(f" {SLACK} ,\n{MAIL}\n\n,{SLACK}") == [SLACK, MAIL]

    async def test_each_url_gets_a_channel_and_a_rule_for_every_kind(
        self, admin: AsyncClient, start_api
    ) -> None:
        sync = await start_api(f"{SLACK},{MAIL}", "critical")
        assert (sync.added, sync.kept, sync.removed) == (2, 0, 0)
        channels = await environment_channels(admin)
        assert sorted(channels) == ["env-mailto-1", "env-slack-1"]
        assert channels["env-mailto-1"]["target_display"] == "mailto://mail.example.com"
        assert_hidden(channels, "envslacktoken0001", "env-mail-password", "alerts")
        rules = {r["name"]: r for r in (await admin.get(RULES)).json() if r["from_environment"]}
        assert sorted(rules) == ["env-mailto-1", "env-slack-1"]
        rule = rules["env-slack-1"]
        assert rule["channel_id"] == channels["env-slack-1"]["id"]
        assert (sorted(rule["event_kinds"]), rule["min_severity"], rule["tags"]) == (
            sorted(EVENT_KINDS),
            "critical",
            [],
        )

    async def test_a_restart_keeps_channels_and_a_removed_url_loses_its_own(
        self, admin: AsyncClient, start_api
    ) -> None:
        await start_api(f"{SLACK},{MAIL}")
        before = await environment_channels(admin)
        sync = await start_api(f"{MAIL}\n{JSON}", "info")
        assert (sync.added, sync.kept, sync.removed) == (1, 1, 1)
        after = await environment_channels(admin)
        assert sorted(after) == ["env-json-1", "env-mailto-1"]
        assert after["env-mailto-1"]["id"] == before["env-mailto-1"]["id"]
        rules = [r for r in (await admin.get(RULES)).json() if r["from_environment"]]
        assert {r["min_severity"] for r in rules} == {"info"}
        assert len(rules) == 2

    async def test_replicas_starting_together_make_one_channel_per_url(
        self, admin: AsyncClient, start_api
    ) -> None:
        await asyncio.gather(*(start_api(f"{SLACK},{MAIL}") for _ in range(3)))
        assert sorted(await environment_channels(admin)) == ["env-mailto-1", "env-slack-1"]

    async def test_a_url_apprise_cannot_read_stops_the_start_without_showing_it(
        self, start_api
    ) -> None:
        with pytest.raises(ValueError, match="URL 2: 'slak://' is not a scheme") as refused:
            await start_api(f"{MAIL},slak://secret-token-in-typo/x")
        assert "secret-token-in-typo" not in str(refused.value)


class TestReadOnly:
    async def test_environment_channels_and_rules_refuse_changes(
        self, admin: AsyncClient, start_api
    ) -> None:
        await start_api(SLACK)
        channel = (await environment_channels(admin))["env-slack-1"]
        rule = next(r for r in (await admin.get(RULES)).json() if r["name"] == "env-slack-1")
        refused = [
            await admin.patch(f"{CHANNELS}/{channel['id']}", json={"enabled": False}),
            await admin.delete(f"{CHANNELS}/{channel['id']}"),
            await admin.patch(f"{RULES}/{rule['id']}", json={"min_severity": "info"}),
            await admin.delete(f"{RULES}/{rule['id']}"),
            await admin.post(
                RULES,
                json={"name": "extra", "channel_id": channel["id"], "event_kinds": ["stale"]},
            ),
        ]
        for response in refused:
            assert response.status_code == 409, response.text
            assert "NETRAVEN_NOTIFY_URLS" in response.json()["error"]
        assert (await admin.get(f"{CHANNELS}/{channel['id']}")).json()["enabled"] is True
