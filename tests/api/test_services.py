"""`GET /api/services` lists every service process from the statuses they write to NATS KV."""

import uuid
from datetime import timedelta

from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_shared.events.base import utc_now
from netraven_shared.events.service_status import SERVICES_BUCKET, STATUS_TTL_SECONDS
from netraven_shared.key_value import open_bucket
from netraven_shared.service_heartbeat import Readiness, ServiceHeartbeat
from structlog.testing import capture_logs

from tests.fixtures.clock import FakeClock

FIELDS = {
    "service",
    "instance",
    "pid",
    "host",
    "started_at",
    "restarts",
    "ready",
    "problem",
    "seen_at",
}


async def listed(client: AsyncClient, prefix: str) -> list[dict]:
    response = await client.get("/api/services")
    assert response.status_code == 200, response.text
    return [service for service in response.json() if service["service"].startswith(prefix)]


class TestListServices:
    async def test_live_services_are_listed_sorted_by_service_with_their_state(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"

        async def stuck() -> Readiness:
            return Readiness(ready=False, problem="consumer loop stopped")

        await ServiceHeartbeat(
            broker, f"{prefix}-worker", environ={"NETRAVEN_SERVICE_RESTARTS": "2"}
        ).beat()
        await ServiceHeartbeat(broker, f"{prefix}-gitkeeper", stuck).beat()
        services = await listed(viewer, prefix)
        assert [s["service"] for s in services] == [f"{prefix}-gitkeeper", f"{prefix}-worker"]
        assert set(services[0]) == FIELDS
        assert (services[0]["ready"], services[0]["problem"], services[0]["restarts"]) == (
            False,
            "consumer loop stopped",
            0,
        )
        assert (services[1]["ready"], services[1]["problem"], services[1]["restarts"]) == (
            True,
            None,
            2,
        )
        assert services[1]["pid"] > 0 and services[1]["host"] and services[1]["instance"]

    async def test_the_api_itself_is_listed(self, viewer: AsyncClient) -> None:
        assert [s["service"] for s in await listed(viewer, "api")] == ["api"]

    async def test_a_service_silent_for_longer_than_the_ttl_is_not_listed(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"
        stale = FakeClock(utc_now() - timedelta(seconds=STATUS_TTL_SECONDS + 1))
        fresh = FakeClock(utc_now() - timedelta(seconds=STATUS_TTL_SECONDS - 5))
        await ServiceHeartbeat(broker, f"{prefix}-stale", clock=stale).beat()
        await ServiceHeartbeat(broker, f"{prefix}-fresh", clock=fresh).beat()
        assert [s["service"] for s in await listed(viewer, prefix)] == [f"{prefix}-fresh"]

    async def test_a_stopped_service_disappears_at_once(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"
        heartbeat = ServiceHeartbeat(broker, f"{prefix}-stopping")
        await heartbeat.start()
        assert len(await listed(viewer, prefix)) == 1
        await heartbeat.stop()
        assert await listed(viewer, prefix) == []

    async def test_an_unreadable_status_is_skipped_not_a_500_and_logged_without_its_value(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"
        bucket = await open_bucket(
            broker.config.connection_state.stream, SERVICES_BUCKET, STATUS_TTL_SECONDS
        )
        await bucket.put(f"{prefix}-garbage.x", b"{not json")
        await bucket.put(f"{prefix}-forged.x", b'{"pid": "secret-value"}')
        await ServiceHeartbeat(broker, f"{prefix}-good").beat()
        with capture_logs() as logged:
            assert [s["service"] for s in await listed(viewer, prefix)] == [f"{prefix}-good"]
        unreadable = [entry for entry in logged if entry["event"] == "kv_statuses.unreadable"]
        assert len(unreadable) >= 2 and not [
            entry for entry in unreadable if "secret-value" in str(entry)
        ], "never the value"

    async def test_needs_a_signed_in_user(self, anonymous: AsyncClient) -> None:
        response = await anonymous.get("/api/services")
        assert response.status_code == 401
        assert response.json()["error"]
