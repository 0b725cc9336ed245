"""Config diff and search endpoints: validation, and what the api makes of gitkeeper's answers (or
silence)."""

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from httpx import AsyncClient
from netraven_shared.events import subjects
from netraven_shared.events.config_read import (
    ConfigDiffReply,
    ConfigDiffRequest,
    ConfigSearchReply,
    ConfigSearchRequest,
    DeviceMatches,
    SearchMatch,
)
from netraven_shared.messaging import build_broker
from netraven_shared.settings import NetRavenSettings

from tests.fixtures.factories import create_device, record_version
from tests.fixtures.infra import Infra


@pytest.fixture
async def device_with_two_versions(admin: AsyncClient, sessions) -> tuple[dict, str, str]:
    device = await create_device(admin, 2700, "configs")
    return (
        device,
        await record_version(sessions, device["id"]),
        await record_version(sessions, device["id"]),
    )


@pytest.fixture
async def fake_gitkeeper(infra: Infra) -> AsyncIterator[dict]:
    """Answers diff and search requests like gitkeeper would; `answers` lets a test pick the
    replies."""
    answers: dict = {}
    broker = build_broker(NetRavenSettings(**infra.nats_settings()), "tests", "fake-gitkeeper")

    @broker.subscriber(subjects.CONFIG_DIFF)
    async def diff(request: ConfigDiffRequest) -> ConfigDiffReply:
        answers["diff_request"] = request
        return answers["diff"]

    @broker.subscriber(subjects.CONFIG_SEARCH)
    async def search(request: ConfigSearchRequest) -> ConfigSearchReply:
        answers["search_request"] = request
        return answers["search"]

    await broker.start()
    yield answers
    await broker.stop()


class TestValidation:
    @pytest.mark.parametrize(
        "params",
        [
            {"from": "abc1234"},
            {"from": "xyz1234", "to": "abc1234"},
            {"from": "abc", "to": "abc1234"},
        ],
    )
    async def test_diff_needs_two_commit_ids(self, viewer: AsyncClient, params: dict) -> None:
        response = await viewer.get(f"/api/devices/{uuid4()}/configs/diff", params=params)
        assert response.status_code == 422, response.text

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"q": "a"},
            {"q": "a" * 201},
            {"q": "ntp", "limit": 0},
            {"q": "ntp", "limit": 201},
            {"q": "ntp\x00"},
        ],
    )
    async def test_search_text_is_2_to_200_characters_without_a_nul(
        self, viewer: AsyncClient, params: dict
    ) -> None:
        response = await viewer.get("/api/configs/search", params=params)
        assert response.status_code == 422, response.text


class TestWithoutGitkeeper:
    async def test_diff_is_unavailable_with_a_clear_message(
        self, viewer: AsyncClient, device_with_two_versions
    ) -> None:
        device, old, new = device_with_two_versions
        response = await viewer.get(
            f"/api/devices/{device['id']}/configs/diff", params={"from": old, "to": new}
        )
        assert response.status_code == 503
        assert "gitkeeper" in response.json()["error"]

    async def test_search_is_unavailable_with_a_clear_message(self, viewer: AsyncClient) -> None:
        response = await viewer.get("/api/configs/search", params={"q": "ntp server"})
        assert response.status_code == 503
        assert "gitkeeper" in response.json()["error"]

    async def test_an_unknown_commit_is_not_found_before_gitkeeper_is_asked(
        self, viewer: AsyncClient, device_with_two_versions
    ) -> None:
        device, old, _ = device_with_two_versions
        response = await viewer.get(
            f"/api/devices/{device['id']}/configs/diff", params={"from": old, "to": "abcdef1"}
        )
        assert response.status_code == 404
        assert "abcdef1" in response.json()["error"]


class TestWithGitkeeper:
    async def test_diff_returns_gitkeepers_diff_for_full_commit_ids(
        self, viewer: AsyncClient, device_with_two_versions, fake_gitkeeper: dict
    ) -> None:
        device, old, new = device_with_two_versions
        fake_gitkeeper["diff"] = ConfigDiffReply(
            found=True, from_commit=old, to_commit=new, added=1, removed=0, config_text="+ntp\n"
        )
        response = await viewer.get(
            f"/api/devices/{device['id']}/configs/diff", params={"from": old[:8], "to": new}
        )
        assert response.status_code == 200, response.text
        assert response.json() == {
            "from": old,
            "to": new,
            "diff": "+ntp\n",
            "added": 1,
            "removed": 0,
        }
        assert (
            fake_gitkeeper["diff_request"].from_commit,
            fake_gitkeeper["diff_request"].to_commit,
        ) == (old, new)

    async def test_diff_gitkeeper_cannot_find_is_not_found(
        self, viewer: AsyncClient, device_with_two_versions, fake_gitkeeper: dict
    ) -> None:
        device, old, new = device_with_two_versions
        fake_gitkeeper["diff"] = ConfigDiffReply(found=False)
        response = await viewer.get(
            f"/api/devices/{device['id']}/configs/diff", params={"from": old, "to": new}
        )
        assert response.status_code == 404

    async def test_search_names_each_device_by_hostname(
        self, admin: AsyncClient, viewer: AsyncClient, fake_gitkeeper: dict
    ) -> None:
        device = await create_device(admin, 2701, "configs")
        match = SearchMatch(
            line_number=3,
            line="ntp server 10.0.0.1",
            before=["!", "clock timezone UTC"],
            after=["!"],
        )
        fake_gitkeeper["search"] = ConfigSearchReply(
            truncated=True,
            results=[
                DeviceMatches(device_id=device["id"], commit="a" * 40, matches=[match]),
                DeviceMatches(
                    device_id=uuid4(), commit="b" * 40, matches=[match]
                ),  # a device deleted since: left out
            ],
        )
        response = await viewer.get("/api/configs/search", params={"q": "NTP server", "limit": 10})
        assert response.status_code == 200, response.text
        assert response.json() == [
            {
                "device_id": device["id"],
                "hostname": device["hostname"],
                "commit": "a" * 40,
                "matches": [match.model_dump()],
            }
        ]
        assert response.headers["X-Results-Truncated"] == "true"
        assert (fake_gitkeeper["search_request"].query, fake_gitkeeper["search_request"].limit) == (
            "NTP server",
            10,
        )
