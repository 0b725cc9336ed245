"""The fleet's freshness as Prometheus text (prometheus_client.generate_latest on the default
REGISTRY): the four families with the numbers the database gives."""

from datetime import timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from netraven_api.freshness.gauges import FreshnessCollector, FreshnessGauges
from netraven_shared.db.base import utc_now
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.freshness_fleet import build_fleet
from tests.fixtures.factories import record_backup

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape() -> Samples:
    text = generate_latest(REGISTRY).decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        if family.name.startswith("netraven_")
        for sample in family.samples
    }


def by_age(samples: Samples) -> dict[str, float]:
    return {
        dict(labels)["age"]: value
        for (name, labels), value in samples.items()
        if name == "netraven_devices_by_backup_age"
    }


@pytest.fixture
def gauges(api_app: FastAPI) -> FreshnessGauges:
    return api_app.state.freshness_gauges


class TestExposition:
    async def test_the_families_carry_the_fleet_and_its_tags(
        self,
        admin: AsyncClient,
        sessions: async_sessionmaker[AsyncSession],
        gauges: FreshnessGauges,
    ) -> None:
        await gauges.refresh()
        before = scrape()
        fleet = await build_fleet(admin, sessions, utc_now())
        snapshot = await gauges.refresh()
        after = scrape()

        moved = {age: by_age(after)[age] - by_age(before)[age] for age in by_age(after)}
        assert moved == {"1h": 1, "6h": 1, "24h": 1, "7d": 1, "older": 1, "never": 2}
        fleet_stale = ("netraven_fleet_stale_devices", ())
        assert after[fleet_stale] - before[fleet_stale] == 5
        assert after[fleet_stale] == snapshot.stale
        tag = (("tag", fleet.tag),)
        assert after[("netraven_devices_stale", tag)] == 5
        assert after[("netraven_backup_oldest_age_seconds", tag)] == pytest.approx(
            30 * 86400, abs=120
        )
        assert after[("netraven_devices_stale", (("tag", fleet.second_tag),))] == 1

    async def test_a_good_backup_moves_a_device_between_buckets_on_the_next_refresh(
        self,
        admin: AsyncClient,
        sessions: async_sessionmaker[AsyncSession],
        gauges: FreshnessGauges,
    ) -> None:
        fleet = await build_fleet(admin, sessions, utc_now())
        await gauges.refresh()
        before = scrape()
        await record_backup(
            sessions, fleet.by_name["never"]["id"], "succeeded", utc_now() - timedelta(minutes=1)
        )
        assert scrape() == before, "a scrape reads the snapshot, not the database"
        await gauges.refresh()
        after = scrape()
        assert by_age(after)["never"] == by_age(before)["never"] - 1
        assert by_age(after)["1h"] == by_age(before)["1h"] + 1
        tag = ("netraven_devices_stale", (("tag", fleet.tag),))
        assert (before[tag], after[tag]) == (5, 4)


class TestBeforeTheFirstCount:
    def test_a_collector_with_no_snapshot_yet_says_nothing(self) -> None:
        assert list(FreshnessCollector().collect()) == []
