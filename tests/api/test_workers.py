"""`GET /api/workers` lists the worker processes from their heartbeats in NATS KV."""

import uuid
from datetime import timedelta

from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_shared.events.base import utc_now
from netraven_shared.events.worker_heartbeat import HEARTBEAT_TTL_SECONDS, WORKERS_BUCKET
from netraven_shared.key_value import open_bucket
from netraven_worker.config import WorkerSettings
from netraven_worker.heartbeat import Heartbeat
from netraven_worker.in_flight import InFlight
from structlog.testing import capture_logs

from tests.fixtures.clock import FakeClock


def heartbeat(broker: NatsBroker, worker_id: str, clock=None, sessions: int = 4) -> Heartbeat:
    settings = WorkerSettings(worker_id=worker_id, concurrency=sessions)
    return Heartbeat(broker, settings, InFlight(), clock or utc_now)


async def listed(client: AsyncClient, prefix: str) -> list[dict]:
    response = await client.get("/api/workers")
    assert response.status_code == 200, response.text
    return [worker for worker in response.json()["items"] if worker["worker_id"].startswith(prefix)]


class TestListWorkers:
    async def test_live_workers_are_listed_sorted_with_their_load(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"
        await heartbeat(broker, f"{prefix}-b", sessions=6).beat()
        await heartbeat(broker, f"{prefix}-a").beat()
        workers = await listed(viewer, prefix)
        assert [w["worker_id"] for w in workers] == [f"{prefix}-a", f"{prefix}-b"]
        assert workers[1]["capacity"] == 6 and workers[1]["in_flight"] == 0
        assert workers[0]["pid"] > 0 and workers[0]["hostname"] and workers[0]["version"] == "0.1.0"
        assert set(workers[0]) == {
            "worker_id",
            "hostname",
            "pid",
            "version",
            "in_flight",
            "capacity",
            "started_at",
            "last_seen_at",
        }

    async def test_a_worker_silent_for_more_than_30_s_is_not_listed(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"
        await heartbeat(
            broker, f"{prefix}-stale", FakeClock(utc_now() - timedelta(seconds=31))
        ).beat()
        await heartbeat(
            broker, f"{prefix}-fresh", FakeClock(utc_now() - timedelta(seconds=20))
        ).beat()
        assert [w["worker_id"] for w in await listed(viewer, prefix)] == [f"{prefix}-fresh"]

    async def test_a_stopped_worker_disappears_at_once(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"
        beating = heartbeat(broker, f"{prefix}-stopping")
        await beating.start()
        assert len(await listed(viewer, prefix)) == 1
        await beating.stop()
        assert await listed(viewer, prefix) == []

    async def test_an_unreadable_heartbeat_is_skipped_not_a_500_and_logged_without_its_value(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"
        bucket = await open_bucket(
            broker.config.connection_state.stream, WORKERS_BUCKET, HEARTBEAT_TTL_SECONDS
        )
        await bucket.put(f"{prefix}-garbage", b"{not json")
        await bucket.put(f"{prefix}-forged", b'{"sessions": "secret-value"}')
        await heartbeat(broker, f"{prefix}-good").beat()
        with capture_logs() as logged:
            assert [w["worker_id"] for w in await listed(viewer, prefix)] == [f"{prefix}-good"]
        unreadable = [entry for entry in logged if entry["event"] == "kv_statuses.unreadable"]
        assert len(unreadable) >= 2 and not [
            entry for entry in unreadable if "secret-value" in str(entry)
        ], "never the value"

    async def test_needs_a_signed_in_user(self, anonymous: AsyncClient) -> None:
        response = await anonymous.get("/api/workers")
        assert response.status_code == 401
        assert response.json()["error"]
