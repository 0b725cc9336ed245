"""The worker applies the operators' config filters (by tag and by platform) to a lab backup, after
the driver's rules and before the config leaves it; the filters are cached for their TTL only."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID, uuid4

from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_shared.drivers.spec import OperatorFilter, Redaction
from netraven_worker.filters import FilterCache, ScopedFilter, filters_for, named, uncompilable

from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.worker.test_login_cache import Clock
from tests.worker.trust import back_up_once, backup_service

LOCATION = {"pattern": r"^(snmp-server location) .+", "separator": " "}
CONTACT_LINE = "snmp-server contact netops@lab.netraven.local"


@asynccontextmanager
async def config_filter(admin: AsyncClient, **fields) -> AsyncIterator[dict]:
    """A saved filter, deleted afterwards: a platform filter would reach every later test's
    devices."""
    body = {"name": unique("filter"), "redactions": [], "noise": []} | fields
    response = await admin.post("/api/config-filters", json=body)
    assert response.status_code == 201, response.text
    try:
        yield response.json()
    finally:
        await admin.delete(f"/api/config-filters/{response.json()['id']}")


class TestBackup:
    async def test_a_tag_filter_redacts_and_a_platform_filter_drops_noise(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        tag = unique("filters")
        await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
        device = await create_device(admin, lab.profiles[0].port, tag)
        service = backup_service(sessions, broker, infra, config_filter_cache_seconds=0)

        plain = await back_up_once(admin, service, broker, device["id"])
        assert plain.backed_up is not None, plain.events
        assert "snmp-server location Lab site" in plain.backed_up["config_text"]
        assert CONTACT_LINE in plain.backed_up["config_text"]

        async with (
            config_filter(admin, tag=tag, redactions=[LOCATION]) as by_tag,
            config_filter(admin, platform="cisco_ios", noise=["^snmp-server contact "]) as by_type,
        ):
            filtered = await back_up_once(admin, service, broker, device["id"])

        assert filtered.backed_up is not None, filtered.events
        text = filtered.backed_up["config_text"]
        assert "snmp-server location <redacted>\n" in text
        assert "Lab site" not in text
        assert CONTACT_LINE not in text
        assert "enable secret 5 <redacted>" in text  # the driver's own rules still ran first
        (line,) = [e for e in filtered.log_lines("info") if "config collected" in e["message"]]
        labels = sorted([f"{by_tag['name']} v1", f"{by_type['name']} v1"])
        assert line["extra"]["config_filters"] == labels
        assert f"config filters {', '.join(labels)}" in line["message"]

    async def test_a_disabled_filter_does_not_apply(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        tag = unique("filters-off")
        await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
        device = await create_device(admin, lab.profiles[1].port, tag)
        service = backup_service(sessions, broker, infra, config_filter_cache_seconds=0)
        async with config_filter(admin, tag=tag, redactions=[LOCATION], enabled=False):
            outcome = await back_up_once(admin, service, broker, device["id"])
        assert outcome.backed_up is not None, outcome.events
        assert "snmp-server location Lab site" in outcome.backed_up["config_text"]

    async def test_a_redaction_that_never_stops_fails_the_backup_and_stores_nothing(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> None:
        tag = unique("filters-runaway")
        await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
        device = await create_device(admin, lab.profiles[2].port, tag)
        service = backup_service(sessions, broker, infra, config_filter_cache_seconds=0)
        # `(n)` keeps its "n" and adds a marker: every pass finds each "n" again, so the text grows
        # by a marker per "n" per pass, past what the pipeline allows
        async with config_filter(admin, tag=tag, redactions=[{"pattern": "(n)"}]) as runaway:
            outcome = await back_up_once(admin, service, broker, device["id"])
        assert outcome.backed_up is None
        assert outcome.failed is not None, outcome.events
        assert outcome.failed["error"] == (
            f"config filter '{runaway['name']} v1': redaction '(n)' keeps matching its own "
            "output: the config was not stored"
        )


LOCATIONS = OperatorFilter("locations", 2, redactions=(Redaction(r"^(snmp-server location) .+"),))


class TestChoosing:
    def test_a_device_gets_the_filters_of_its_platform_and_its_tags(self) -> None:
        tag, other = uuid4(), uuid4()
        every = [
            ScopedFilter("cisco_ios", None, OperatorFilter("ios", 1)),
            ScopedFilter(None, tag, OperatorFilter("core", 1)),
            ScopedFilter(None, other, OperatorFilter("edge", 1)),
            ScopedFilter("arista_eos", None, OperatorFilter("eos", 1)),
        ]
        chosen = filters_for(every, "cisco_ios", frozenset({tag}))
        assert [each.name for each in chosen] == ["ios", "core"]

    def test_a_pattern_this_python_refuses_stops_the_backup(self) -> None:
        broken = OperatorFilter("broken", 4, noise=("(unclosed",))
        assert uncompilable([LOCATIONS]) is None
        assert uncompilable([LOCATIONS, broken]).startswith(
            "config filter 'broken v4' does not compile"
        )

    def test_a_long_list_is_named_shortly(self) -> None:
        many = [OperatorFilter(f"f{n}", 1) for n in range(12)]
        assert named(many)[-2:] == ["f9 v1", "and 2 more"]


class TestFilterCache:
    async def test_reused_within_the_ttl_and_read_again_after(self) -> None:
        clock, loads = Clock(), []

        async def load() -> list[ScopedFilter]:
            loads.append(clock.now)
            return [ScopedFilter(None, UUID(int=len(loads)), LOCATIONS)]

        cache = FilterCache(5.0, clock)
        first = await cache.filters(load)
        clock.now += 4.9
        assert await cache.filters(load) is first
        clock.now += 0.2
        assert await cache.filters(load) is not first
        assert len(loads) == 2

    async def test_a_ttl_of_zero_reads_every_time(self) -> None:
        calls = []

        async def load() -> list[ScopedFilter]:
            calls.append(1)
            return []

        cache = FilterCache(0)
        await cache.filters(load)
        await cache.filters(load)
        assert len(calls) == 2
