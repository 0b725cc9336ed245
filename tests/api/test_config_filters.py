"""Config filters: CRUD with versions and restore, pattern validation, roles, and the preview of
candidate patterns against a stored config (read from a gitkeeper stand-in over real NATS)."""

from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient
from netraven_shared.events import subjects
from netraven_shared.events.config_read import ConfigReadReply, ConfigReadRequest
from netraven_shared.messaging import build_broker
from netraven_shared.settings import NetRavenSettings

from tests.api.audit_entries import newest
from tests.api.test_configs import record_version
from tests.fixtures.factories import create_device, create_tag, unique
from tests.fixtures.infra import Infra

LOCATION = {"pattern": r"^(snmp-server location) .+", "separator": " "}
CONTACT = {"pattern": r"^(snmp-server contact) .+", "separator": " "}
STORED = (
    "hostname core-1\n"
    "snmp-server location rack 12\n"
    "snmp-server contact noc@example.net\n"
    "ntp clock-period 17208\n"
)


def a_filter(**fields) -> dict:
    return {
        "name": unique("filter"),
        "platform": "cisco_ios",
        "redactions": [LOCATION],
        "noise": ["^ntp clock-period"],
        "comment": "first",
    } | fields


async def create_filter(admin: AsyncClient, **fields) -> dict:
    response = await admin.post("/api/config-filters", json=a_filter(**fields))
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(autouse=True)
async def no_filter_left(admin: AsyncClient) -> AsyncIterator[None]:
    """Filters are global: a platform filter left behind would reach every later test's backups."""
    yield
    for each in (await admin.get("/api/config-filters")).json():
        await admin.delete(f"/api/config-filters/{each['id']}")


@pytest.fixture
async def fake_gitkeeper(infra: Infra) -> AsyncIterator[list[ConfigReadRequest]]:
    """Answers config reads with `STORED`, keeping the requests it was asked."""
    asked: list[ConfigReadRequest] = []
    broker = build_broker(NetRavenSettings(**infra.nats_settings()), "tests", "fake-gitkeeper")

    @broker.subscriber(subjects.CONFIG_READ)
    async def read(request: ConfigReadRequest) -> ConfigReadReply:
        asked.append(request)
        return ConfigReadReply(found=True, config_text=STORED)

    await broker.start()
    yield asked
    await broker.stop()


class TestCrud:
    async def test_create_lists_and_shows_version_one(
        self, admin: AsyncClient, viewer: AsyncClient
    ) -> None:
        created = await create_filter(admin)
        assert created["version"] == 1
        assert created["redactions"] == [LOCATION]
        assert [v["version"] for v in created["versions"]] == [1]
        assert created["versions"][0]["saved_by"] == "admin"
        assert created["versions"][0]["comment"] == "first"
        listed = (await viewer.get("/api/config-filters")).json()
        assert created["id"] in [f["id"] for f in listed]
        entry = await newest(admin, "config_filter.create")
        assert entry["changes"]["redactions"] == [LOCATION["pattern"]]

    async def test_update_saves_a_new_version_and_keeps_the_old(self, admin: AsyncClient) -> None:
        created = await create_filter(admin)
        body = a_filter(name=created["name"], redactions=[LOCATION, CONTACT], comment="contact")
        response = await admin.put(f"/api/config-filters/{created['id']}", json=body)
        assert response.status_code == 200, response.text
        updated = response.json()
        assert updated["version"] == 2
        assert [v["version"] for v in updated["versions"]] == [2, 1]
        assert updated["versions"][1]["redactions"] == [LOCATION]
        assert updated["versions"][0]["comment"] == "contact"

    async def test_restore_saves_the_old_patterns_as_the_newest_version(
        self, admin: AsyncClient
    ) -> None:
        created = await create_filter(admin)
        body = a_filter(name=created["name"], redactions=[CONTACT], noise=[])
        await admin.put(f"/api/config-filters/{created['id']}", json=body)
        response = await admin.post(
            f"/api/config-filters/{created['id']}/versions/1/restore", json={}
        )
        assert response.status_code == 200, response.text
        restored = response.json()
        assert restored["version"] == 3
        assert restored["redactions"] == [LOCATION]
        assert restored["noise"] == ["^ntp clock-period"]
        assert restored["versions"][0]["comment"] == "restored version 1"
        missing = await admin.post(
            f"/api/config-filters/{created['id']}/versions/9/restore", json={}
        )
        assert missing.status_code == 404

    async def test_delete(self, admin: AsyncClient) -> None:
        created = await create_filter(admin)
        assert (await admin.delete(f"/api/config-filters/{created['id']}")).status_code == 204
        assert (await admin.get(f"/api/config-filters/{created['id']}")).status_code == 404

    async def test_a_tag_scope_by_name_and_the_tag_cannot_be_deleted_under_it(
        self, admin: AsyncClient
    ) -> None:
        tag = await create_tag(admin)
        created = await create_filter(admin, platform=None, tag=tag["name"])
        assert (created["tag"], created["tag_id"], created["platform"]) == (
            tag["name"],
            tag["id"],
            None,
        )
        refused = await admin.delete(f"/api/tags/{tag['id']}")
        assert refused.status_code == 409
        assert created["name"] in refused.json()["error"]
        await admin.delete(f"/api/config-filters/{created['id']}")
        assert (await admin.delete(f"/api/tags/{tag['id']}")).status_code == 204

    async def test_a_taken_name_is_a_conflict(self, admin: AsyncClient) -> None:
        created = await create_filter(admin)
        response = await admin.post("/api/config-filters", json=a_filter(name=created["name"]))
        assert response.status_code == 409


class TestValidation:
    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            (
                {"redactions": [LOCATION, LOCATION, {"pattern": "(unclosed"}]},
                "redactions.2.pattern",
                "not a regular expression",
            ),
            (
                {"redactions": [{"pattern": "password \\S+"}]},
                "redactions.0.pattern",
                "needs a group 1",
            ),
            ({"noise": ["ok", "[z-a]"]}, "noise.1", "not a regular expression"),
            ({"noise": ["^(a+)+$"]}, "noise.0", "exponential time"),
            ({"redactions": [{"pattern": "(.)"}]}, "redactions.0", "matches its own <redacted>"),
            ({"noise": ["x" * 501]}, "noise.0", "at most 500 characters"),
            ({"platform": None}, "", "name exactly one of platform and tag"),
            ({"tag": "core"}, "", "name exactly one of platform and tag"),
        ],
    )
    async def test_an_invalid_pattern_names_the_field_and_index(
        self, admin: AsyncClient, fields: dict, field: str, message: str
    ) -> None:
        response = await admin.post("/api/config-filters", json=a_filter(**fields))
        assert response.status_code == 422, response.text
        (problem,) = response.json()["detail"]
        assert problem["field"] == field
        assert message in problem["message"]

    async def test_an_unknown_platform_or_tag(self, admin: AsyncClient) -> None:
        platform = await admin.post("/api/config-filters", json=a_filter(platform="acme_os"))
        assert platform.status_code == 422
        assert platform.json()["error"].startswith("platform: no driver for 'acme_os'")
        tag = await admin.post(
            "/api/config-filters", json=a_filter(platform=None, tag=unique("nope"))
        )
        assert tag.status_code == 422
        assert tag.json()["error"].startswith("tag: no tag named")


class TestRoles:
    async def test_readers_read_and_only_admins_write(
        self, admin: AsyncClient, operator: AsyncClient, viewer: AsyncClient
    ) -> None:
        created = await create_filter(admin)
        assert (await viewer.get(f"/api/config-filters/{created['id']}")).status_code == 200
        for client in (viewer, operator):
            assert (await client.post("/api/config-filters", json=a_filter())).status_code == 403
            assert (
                await client.put(f"/api/config-filters/{created['id']}", json=a_filter())
            ).status_code == 403
            assert (await client.delete(f"/api/config-filters/{created['id']}")).status_code == 403


class TestPreview:
    async def test_candidate_patterns_on_the_newest_stored_config(
        self, admin: AsyncClient, sessions, fake_gitkeeper: list[ConfigReadRequest]
    ) -> None:
        device = await create_device(admin, 2701, "filters")
        await record_version(sessions, device["id"])
        commit = await record_version(sessions, device["id"])
        before = (await admin.get("/api/config-filters")).json()
        response = await admin.post(
            "/api/config-filters/preview",
            json={"device_id": device["id"], "redactions": [LOCATION], "noise": ["^ntp "]},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert fake_gitkeeper[-1].commit == commit
        assert body["before"] == STORED
        assert body["after"] == (
            "hostname core-1\n"
            "snmp-server location <redacted>\n"
            "snmp-server contact noc@example.net\n"
        )
        assert (body["redacted"], body["dropped"]) == (1, 1)
        assert "-snmp-server location rack 12\n+snmp-server location <redacted>" in body["diff"]
        assert "-ntp clock-period 17208" in body["diff"]
        assert (await admin.get("/api/config-filters")).json() == before  # nothing saved

    async def test_a_device_without_a_stored_config(self, admin: AsyncClient) -> None:
        device = await create_device(admin, 2702, "filters")
        response = await admin.post(
            "/api/config-filters/preview",
            json={"device_id": device["id"], "redactions": [], "noise": []},
        )
        assert response.status_code == 404
        assert "back it up first" in response.json()["error"]

    async def test_invalid_candidates_are_refused_before_any_read(self, admin: AsyncClient) -> None:
        device = await create_device(admin, 2703, "filters")
        response = await admin.post(
            "/api/config-filters/preview",
            json={"device_id": device["id"], "redactions": [{"pattern": "("}], "noise": []},
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "redactions.0.pattern"
