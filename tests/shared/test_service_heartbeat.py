"""Every service writes who it is, whether it is ready and how often it was restarted to
`netraven-services`."""

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from faststream.asgi import AsgiFastStream
from faststream.nats import NatsBroker
from nats.js.errors import KeyNotFoundError
from netraven_shared.bus_identities import TEST_IDENTITY
from netraven_shared.events.service_status import (
    SERVICES_BUCKET,
    STATUS_TTL_SECONDS,
    ServiceStatus,
    status_key,
)
from netraven_shared.key_value import open_bucket
from netraven_shared.messaging import build_broker
from netraven_shared.service_heartbeat import Readiness, ServiceHeartbeat, attach_heartbeat
from netraven_shared.settings import NetRavenSettings
from structlog.testing import capture_logs

from tests.fixtures.clock import FakeClock
from tests.fixtures.infra import Infra


async def written(broker: NatsBroker, heartbeat: ServiceHeartbeat, service: str) -> ServiceStatus:
    bucket = await open_bucket(
        broker.config.connection_state.stream, SERVICES_BUCKET, STATUS_TTL_SECONDS
    )
    entry = await bucket.get(status_key(service, heartbeat.instance))
    return ServiceStatus.model_validate_json(entry.value or b"")


def a_service() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


class TestBeat:
    async def test_writes_who_the_process_is_and_its_restarts_from_the_environment(
        self, broker: NatsBroker
    ) -> None:
        service, clock = a_service(), FakeClock(datetime(2026, 12, 5, 20, 0, tzinfo=UTC))
        heartbeat = ServiceHeartbeat(
            broker, service, clock=clock, environ={"NETRAVEN_SERVICE_RESTARTS": "3"}
        )
        await heartbeat.beat()
        status = await written(broker, heartbeat, service)
        assert (status.service, status.instance, status.restarts) == (
            service,
            heartbeat.instance,
            3,
        )
        assert status.ready and status.problem is None
        assert status.pid > 0 and status.host and status.started_at == status.seen_at == clock.now

    async def test_readiness_and_its_problem_come_from_the_check_passed_in(
        self, broker: NatsBroker
    ) -> None:
        service = a_service()

        async def consumer_stopped() -> Readiness:
            return Readiness(ready=False, problem="consumer loop stopped")

        heartbeat = ServiceHeartbeat(broker, service, consumer_stopped, environ={})
        await heartbeat.beat()
        status = await written(broker, heartbeat, service)
        assert (status.ready, status.problem, status.restarts) == (
            False,
            "consumer loop stopped",
            0,
        )

    async def test_a_check_that_fails_reports_not_ready_with_the_error(
        self, broker: NatsBroker
    ) -> None:
        service = a_service()

        async def broken() -> Readiness:
            raise ConnectionError("database refused the connection")

        heartbeat = ServiceHeartbeat(broker, service, broken)
        await heartbeat.beat()
        status = await written(broker, heartbeat, service)
        assert (
            not status.ready
            and status.problem == "readiness check failed: database refused the connection"
        )

    async def test_a_clean_stop_removes_the_entry(self, broker: NatsBroker) -> None:
        service = a_service()
        heartbeat = ServiceHeartbeat(broker, service)
        await heartbeat.start()
        assert (await written(broker, heartbeat, service)).service == service
        await heartbeat.stop()
        with pytest.raises(KeyNotFoundError):
            await written(broker, heartbeat, service)

    async def test_keeps_beating_every_few_seconds(self, broker: NatsBroker) -> None:
        service = a_service()
        heartbeat = ServiceHeartbeat(broker, service, beat_seconds=0.05)
        await heartbeat.start()
        first = (await written(broker, heartbeat, service)).seen_at
        await asyncio.sleep(0.3)
        latest = (await written(broker, heartbeat, service)).seen_at
        await heartbeat.stop()
        assert latest > first


class TestNatsUnreachable:
    async def test_a_status_that_cannot_be_written_does_not_stop_the_service(
        self, infra: Infra
    ) -> None:
        broker = build_broker(
            NetRavenSettings(**infra.nats_settings()), TEST_IDENTITY, "test-unreachable"
        )
        await broker.connect()
        await broker.stop()
        heartbeat = ServiceHeartbeat(broker, a_service(), beat_seconds=0.05)
        with capture_logs() as logged:
            await heartbeat.start()
            await asyncio.sleep(0.2)
            await heartbeat.stop()
        assert len([line for line in logged if line["event"] == "service.heartbeat_failed"]) >= 2


class TestAttachedToAServiceApp:
    async def test_beats_while_the_app_runs_and_is_gone_after_it_stops(
        self, broker: NatsBroker, infra: Infra
    ) -> None:
        service = a_service()
        app = AsgiFastStream(
            build_broker(NetRavenSettings(**infra.nats_settings()), TEST_IDENTITY, service)
        )
        heartbeat = attach_heartbeat(app, service)
        await app.start()
        try:
            assert (await written(broker, heartbeat, service)).ready
        finally:
            await app.stop()
        with pytest.raises(KeyNotFoundError):
            await written(broker, heartbeat, service)


class TestKey:
    def test_is_service_dot_instance_with_only_key_characters(self) -> None:
        assert (
            status_key("log-collector", "host.example.com-12")
            == "log-collector.host_example_com-12"
        )


class TestContract:
    def test_its_example_validates_and_unknown_fields_are_ignored(self) -> None:
        example = ServiceStatus.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]
        status = ServiceStatus.model_validate(example | {"added_in_a_later_version": 1})
        assert status.service == "gitkeeper" and not hasattr(status, "added_in_a_later_version")
