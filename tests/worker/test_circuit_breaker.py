"""The circuit breaker on the real NATS KV, with a clock the test moves by hand."""

import uuid
from datetime import UTC, datetime, timedelta

from faststream.nats import NatsBroker
from nats.js.api import KeyValueConfig
from netraven_worker.guard import Circuit, CircuitBreaker

from tests.fixtures.clock import FakeClock

COOLDOWN = timedelta(minutes=15)


async def breakers(
    broker: NatsBroker, clock: FakeClock, count: int = 2, threshold: int = 5
) -> list[CircuitBreaker]:
    """Breakers of separate workers sharing one bucket."""
    js = broker.config.connection_state.stream
    bucket = await js.create_key_value(
        KeyValueConfig(bucket=f"test-circuits-{uuid.uuid4().hex[:8]}")
    )
    return [CircuitBreaker(bucket, threshold, COOLDOWN, clock) for _ in range(count)]


class TestCircuitBreaker:
    async def test_opens_after_the_threshold_counted_across_workers(
        self, broker: NatsBroker
    ) -> None:
        clock = FakeClock(datetime(2026, 3, 1, 14, 2, tzinfo=UTC))
        first, second = await breakers(broker, clock)
        device = uuid.uuid4()
        for number in range(4):
            await (first if number % 2 else second).record_failure(device, "timeout")
            assert first.skip_reason(await first.circuit(device)) is None
        await first.record_failure(device, "timeout")
        assert second.skip_reason(await second.circuit(device)) == (
            "skipped: circuit open after 5 consecutive failures until 14:17 UTC; "
            "fix the device or wait"
        )

    async def test_closes_for_one_try_after_the_cooldown_and_reopens_on_failure(
        self, broker: NatsBroker
    ) -> None:
        clock = FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
        (breaker,) = await breakers(broker, clock, count=1, threshold=2)
        device = uuid.uuid4()
        for _ in range(2):
            await breaker.record_failure(device, "refused")
        clock.now += COOLDOWN - timedelta(seconds=1)
        assert breaker.skip_reason(await breaker.circuit(device)) is not None
        clock.now += timedelta(seconds=1)
        assert breaker.skip_reason(await breaker.circuit(device)) is None
        circuit = await breaker.record_failure(device, "refused again")
        assert circuit.failures == 3 and circuit.open_until == clock.now + COOLDOWN
        assert "after 3 consecutive failures until 09:30 UTC" in breaker.skip_reason(
            await breaker.circuit(device)
        )

    async def test_a_success_resets_the_count(self, broker: NatsBroker) -> None:
        clock = FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
        first, second = await breakers(broker, clock, threshold=3)
        device = uuid.uuid4()
        await first.record_failure(device, "timeout")
        await first.record_failure(device, "timeout")
        await second.record_success(device, await second.circuit(device))
        await first.record_failure(device, "timeout")
        await first.record_failure(device, "timeout")
        assert second.skip_reason(await second.circuit(device)) is None
        await first.record_failure(device, "timeout")
        assert second.skip_reason(await second.circuit(device)) is not None

    async def test_devices_have_their_own_circuits(self, broker: NatsBroker) -> None:
        clock = FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
        (breaker,) = await breakers(broker, clock, count=1, threshold=1)
        broken, healthy = uuid.uuid4(), uuid.uuid4()
        await breaker.record_failure(broken, "timeout")
        assert breaker.skip_reason(await breaker.circuit(broken)) is not None
        assert breaker.skip_reason(await breaker.circuit(healthy)) is None

    async def test_a_success_without_counted_failures_writes_nothing(
        self, broker: NatsBroker
    ) -> None:
        js = broker.config.connection_state.stream
        bucket = await js.create_key_value(
            KeyValueConfig(bucket=f"test-circuits-{uuid.uuid4().hex[:8]}")
        )
        breaker = CircuitBreaker(
            bucket, 3, COOLDOWN, FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
        )
        healthy, failing = uuid.uuid4(), uuid.uuid4()
        await breaker.record_success(healthy, await breaker.circuit(healthy))
        assert (await js.stream_info(f"KV_{bucket._name}")).state.messages == 0
        await breaker.record_failure(failing, "timeout")
        await breaker.record_success(failing, await breaker.circuit(failing))
        assert breaker.skip_reason(await breaker.circuit(failing)) is None
        assert await breaker.circuit(failing) == Circuit()
