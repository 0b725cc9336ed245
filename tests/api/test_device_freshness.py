"""Backup freshness on the real database: age buckets, stale devices in all and per tag (the
notifier's rule), the stalest devices, and the devices list's `?stale=` filter."""

from datetime import timedelta

import pytest
from httpx import AsyncClient
from netraven_api.freshness.service import fleet_freshness
from netraven_shared.db.base import utc_now
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.freshness_fleet import Fleet, build_fleet
from tests.fixtures.factories import record_backup

DEFAULT_HOURS = 26.0
STALE = {"recent", "day", "week", "ancient", "never"}


@pytest.fixture
async def fleet(admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> Fleet:
    return await build_fleet(admin, sessions, utc_now())


class TestCounts:
    async def test_each_device_counts_once_in_the_bucket_of_its_last_good_backup(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        now = utc_now()
        async with sessions() as session:
            before = await fleet_freshness(session, now, DEFAULT_HOURS, stalest=0)
        await build_fleet(admin, sessions, now)
        async with sessions() as session:
            after = await fleet_freshness(session, now, DEFAULT_HOURS, stalest=0)
        moved = {age: after.buckets[age] - before.buckets[age] for age in after.buckets}
        # a failed backup or a succeeded reachability check is no good backup: `never`
        assert moved == {"1h": 1, "6h": 1, "24h": 1, "7d": 1, "older": 1, "never": 2}
        assert after.devices - before.devices == 7
        assert after.stale - before.stale == len(STALE)

    async def test_a_tag_counts_its_stale_devices_with_its_threshold_and_oldest_age(
        self, viewer: AsyncClient, fleet: Fleet
    ) -> None:
        response = await viewer.get("/api/devices/freshness")
        assert response.status_code == 200, response.text
        tags = {tag["tag"]: tag for tag in response.json()["tags"]}
        own = tags[fleet.tag]
        assert (own["stale_after_hours"], own["devices"], own["stale"]) == (2, 7, 5)
        assert own["oldest_age_seconds"] == pytest.approx(30 * 86400, abs=120)
        # `recent` is stale by its lowest threshold (2 h), also where the tag's own is 26 h
        second = tags[fleet.second_tag]
        assert (second["stale_after_hours"], second["devices"], second["stale"]) == (26, 1, 1)
        assert second["oldest_age_seconds"] == pytest.approx(3 * 3600, abs=120)

    async def test_the_stalest_devices_come_oldest_first(
        self, viewer: AsyncClient, fleet: Fleet
    ) -> None:
        response = await viewer.get("/api/devices/freshness", params={"stalest": 100})
        assert response.status_code == 200, response.text
        ours = {fleet.hostname(role): role for role in fleet.by_name}
        listed = [device for device in response.json()["stalest"] if device["hostname"] in ours]
        assert [ours[device["hostname"]] for device in listed][:3] == ["ancient", "week", "day"]
        ancient = listed[0]
        assert ancient["stale"] is True and ancient["stale_after_hours"] == 2
        assert ancient["age_seconds"] == pytest.approx(30 * 86400, abs=120)

    async def test_no_stalest_devices_when_none_are_asked_for(self, viewer: AsyncClient) -> None:
        response = await viewer.get("/api/devices/freshness", params={"stalest": 0})
        assert response.status_code == 200, response.text
        assert response.json()["stalest"] == []
        assert set(response.json()["buckets"]) == {"1h", "6h", "24h", "7d", "older", "never"}


class TestStaleFilter:
    async def test_the_devices_list_filters_stale_and_fresh_devices(
        self, viewer: AsyncClient, fleet: Fleet
    ) -> None:
        for stale, expected in (("true", STALE), ("false", {"fresh", "checked"})):
            response = await viewer.get("/api/devices", params={"tag": fleet.tag, "stale": stale})
            assert response.status_code == 200, response.text
            names = {device["hostname"] for device in response.json()["items"]}
            assert names == {fleet.hostname(role) for role in expected}
            assert response.json()["total"] == len(expected)

    async def test_a_backup_that_succeeds_makes_a_stale_device_fresh(
        self,
        viewer: AsyncClient,
        sessions: async_sessionmaker[AsyncSession],
        fleet: Fleet,
    ) -> None:
        await record_backup(
            sessions, fleet.by_name["week"]["id"], "succeeded", utc_now() - timedelta(minutes=5)
        )
        response = await viewer.get("/api/devices", params={"tag": fleet.tag, "stale": "true"})
        names = {device["hostname"] for device in response.json()["items"]}
        assert fleet.hostname("week") not in names
        assert fleet.hostname("day") in names


class TestRefusals:
    async def test_anonymous_is_401(self, anonymous: AsyncClient) -> None:
        assert (await anonymous.get("/api/devices/freshness")).status_code == 401

    @pytest.mark.parametrize("stalest", ["-1", "101", "many"])
    async def test_a_bad_stalest_is_422(self, viewer: AsyncClient, stalest: str) -> None:
        response = await viewer.get("/api/devices/freshness", params={"stalest": stalest})
        assert response.status_code == 422
        assert "error" in response.json()

    async def test_a_bad_stale_filter_is_422(self, viewer: AsyncClient) -> None:
        response = await viewer.get("/api/devices", params={"stale": "sometimes"})
        assert response.status_code == 422
