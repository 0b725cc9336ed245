"""The fleet's freshness as Prometheus gauges on prometheus-client's default REGISTRY (served on
`/metrics`): a snapshot refreshed from PostgreSQL every `NETRAVEN_FRESHNESS_REFRESH_SECONDS` (30)
by a task of the api's lifespan; a scrape only reads the snapshot (collectors are synchronous)."""

import asyncio
from collections.abc import Iterator
from functools import cache

import structlog
from netraven_shared.db.base import utc_now
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.freshness.schemas import FleetFreshness
from netraven_api.freshness.service import fleet_freshness

log = structlog.get_logger()


class FreshnessCollector(Collector):
    def __init__(self) -> None:
        self._snapshot: FleetFreshness | None = None

    def update(self, snapshot: FleetFreshness) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterator[Metric]:
        snapshot = self._snapshot
        if snapshot is None:  # not counted yet: no sample rather than a false zero
            return
        by_age = GaugeMetricFamily(
            "netraven_devices_by_backup_age",
            "Devices whose last good backup falls in the age bucket (not cumulative; never: none)",
            labels=["age"],
        )
        for age, devices in snapshot.buckets.items():
            by_age.add_metric([age], devices)
        oldest = GaugeMetricFamily(
            "netraven_backup_oldest_age_seconds",
            "Per tag, the age of its device with the oldest last good backup (else its creation)",
            labels=["tag"],
        )
        stale = GaugeMetricFamily(
            "netraven_devices_stale",
            "Per tag, its devices whose last good backup is older than their stale threshold",
            labels=["tag"],
        )
        for tag in snapshot.tags:
            oldest.add_metric([tag.tag], tag.oldest_age_seconds)
            stale.add_metric([tag.tag], tag.stale)
        yield by_age
        yield oldest
        yield stale
        yield GaugeMetricFamily(
            "netraven_fleet_stale_devices",
            "Devices whose last good backup is older than their stale threshold",
            value=snapshot.stale,
        )


@cache
def registered_collector() -> FreshnessCollector:
    """The process's one collector: the default REGISTRY refuses a second with the same names."""
    collector = FreshnessCollector()
    REGISTRY.register(collector)
    return collector


class FreshnessGauges:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        default_hours: float,
        interval_seconds: float,
    ) -> None:
        self._sessions = sessions
        self._default_hours = default_hours
        self._interval = interval_seconds
        self._collector = registered_collector()

    async def refresh(self) -> FleetFreshness:
        async with self._sessions() as session:
            snapshot = await fleet_freshness(session, utc_now(), self._default_hours, stalest=0)
        self._collector.update(snapshot)
        return snapshot

    async def run_forever(self) -> None:
        while True:
            try:
                await self.refresh()
            except Exception as error:  # noqa: BLE001  (the database away: keep the last snapshot)
                log.warning("freshness.refresh_failed", error=str(error))
            await asyncio.sleep(self._interval)
