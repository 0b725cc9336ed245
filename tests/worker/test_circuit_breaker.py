"""The circuit breaker on the real NATS KV, with a clock the test moves by hand."""

import uuid
from datetime import UTC, datetime, timedelta

from faststream.nats import NatsBroker
from nats.js.api import KeyValueConfig

from netraven_worker.guard import CircuitBreaker
from tests.fixtures.clock import FakeClock

COOLDOWN = timedelta(minutes=15)


async def breakers(broker: NatsBroker, clock: FakeClock, count: int = 2, threshold: int = 5) -> list[CircuitBreaker]:
    """Breakers of separate workers sharing one bucket."""
    js = broker.config.connection_state.stream
    bucket = await js.create_key_value(KeyValueConfig(bucket=f"test-circuits-{uuid.uuid4().hex[:8]}"))
    return [CircuitBreaker(bucket, threshold, COOLDOWN, clock) for _ in range(count)]


class TestCircuitBreaker:
    async def test_opens_after_the_threshold_counted_across_workers(self, broker: NatsBroker) -> None:
        clock = FakeClock(datetime(2026, 3, 1, 14, 2, tzinfo=UTC))
        first, second = await breakers(broker, clock)
        device = uuid.uuid4()
        for number in range(4):
            await (first if number % 2 else second).record_failure(device, "timeout")
            assert await first.skip_reason(device) is None
        await first.record_failure(device, "timeout")
        assert await second.skip_reason(device) == (
            "skipped: circuit open after 5 consecutive failures until 14:17 UTC; fix the device or wait"
        )

    async def test_closes_for_one_try_after_the_cooldown_and_reopens_on_failure(self, broker: NatsBroker) -> None:
        clock = FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
        (breaker,) = await breakers(broker, clock, count=1, threshold=2)
        device = uuid.uuid4()
        for _ in range(2):
            await breaker.record_failure(device, "refused")
        clock.now += COOLDOWN - timedelta(seconds=1)
        assert await breaker.skip_reason(device) is not None
        clock.now += timedelta(seconds=1)
        assert await breaker.skip_reason(device) is None
        circuit = await breaker.record_failure(device, "refused again")
        assert circuit.failures == 3 and circuit.open_until == clock.now + COOLDOWN
        assert "after 3 consecutive failures until 09:30 UTC" in await breaker.skip_reason(device)

    async def test_a_success_resets_the_count(self, broker: NatsBroker) -> None:
        clock = FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
        first, second = await breakers(broker, clock, threshold=3)
        device = uuid.uuid4()
        await first.record_failure(device, "timeout")
        await first.record_failure(device, "timeout")
        await second.record_success(device)
        await first.record_failure(device, "timeout")
        await first.record_failure(device, "timeout")
        assert await second.skip_reason(device) is None
        await first.record_failure(device, "timeout")
        assert await second.skip_reason(device) is not None

    async def test_devices_have_their_own_circuits(self, broker: NatsBroker) -> None:
        clock = FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
        (breaker,) = await breakers(broker, clock, count=1, threshold=1)
        broken, healthy = uuid.uuid4(), uuid.uuid4()
        await breaker.record_failure(broken, "timeout")
        assert await breaker.skip_reason(broken) is not None
        assert await breaker.skip_reason(healthy) is None
