import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from faststream.nats import NatsBroker
from httpx import ASGITransport, AsyncClient
from netraven_api.auth.throttle import LoginThrottle
from netraven_shared.errors import TooManyRequests
from netraven_shared.key_value import open_bucket

from tests.fixtures.api import ADMIN_PASSWORD
from tests.fixtures.clock import FakeClock
from tests.fixtures.factories import unique

PASSWORD = "a-long-enough-password"
AFTER_FAILURES = 5  # the api_app's setting (the default)


def fresh_address() -> str:
    """Each test its own source address: the api app, and so its counters, are shared by the
    session."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


@asynccontextmanager
async def client_from(app: FastAPI, address: str) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app, client=(address, 123))
    async with AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield client


async def login(client: AsyncClient, username: str, password: str):
    return await client.post("/api/auth/token", data={"username": username, "password": password})


class TestLoginBackoff:
    async def test_a_stranger_hammering_admin_does_not_lock_admin_out_elsewhere(
        self, api_app: FastAPI
    ) -> None:
        async with (
            client_from(api_app, fresh_address()) as stranger,
            client_from(api_app, fresh_address()) as owner,
        ):
            for _ in range(AFTER_FAILURES):
                assert (await login(stranger, "admin", "wrong")).status_code == 401
            refused = await login(stranger, "admin", ADMIN_PASSWORD)
            assert refused.status_code == 429
            assert refused.headers["Retry-After"] == "1"
            assert refused.json() == {
                "error": "too many failed logins for this address; try again in 1 second",
                "detail": {"retry_after_seconds": 1},
            }
            assert (await login(owner, "admin", ADMIN_PASSWORD)).status_code == 200

    async def test_an_unknown_username_is_treated_exactly_the_same(self, api_app: FastAPI) -> None:
        async with client_from(api_app, fresh_address()) as client:
            name = unique("nobody")
            answers = [(await login(client, name, "wrong")) for _ in range(AFTER_FAILURES + 1)]
            assert [a.status_code for a in answers] == [401] * AFTER_FAILURES + [429]
            assert answers[0].json() == {"error": "invalid username or password", "detail": None}

    async def test_a_successful_login_clears_the_count(
        self, admin: AsyncClient, api_app: FastAPI
    ) -> None:
        name = unique("clumsy")
        await admin.post("/api/users", json={"username": name, "password": PASSWORD})
        async with client_from(api_app, fresh_address()) as client:
            for _ in range(2):
                for _ in range(AFTER_FAILURES - 1):
                    assert (await login(client, name, "wrong")).status_code == 401
                assert (await login(client, name, PASSWORD)).status_code == 200


@pytest.fixture
async def throttle_and_clock(broker: NatsBroker) -> tuple[LoginThrottle, FakeClock]:
    bucket = await open_bucket(broker.config.connection_state.stream, "test_login_backoff", 3600)
    clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
    return LoginThrottle(bucket, after_failures=2, cap_seconds=8, clock=clock), clock


async def wait_asked(throttle: LoginThrottle, username: str, address: str) -> int:
    try:
        await throttle.check(username, address)
    except TooManyRequests as refused:
        return refused.retry_after_seconds
    return 0


class TestBackoffGrowth:
    async def test_the_wait_doubles_per_failure_up_to_the_cap(self, throttle_and_clock) -> None:
        throttle, _clock = throttle_and_clock
        username, address = unique("guess"), fresh_address()
        waits = []
        for _ in range(7):
            await throttle.record_failure(username, address)
            waits.append(await wait_asked(throttle, username, address))
        assert waits == [0, 1, 2, 4, 8, 8, 8]

    async def test_after_the_wait_one_more_attempt_is_allowed(self, throttle_and_clock) -> None:
        throttle, clock = throttle_and_clock
        username, address = unique("guess"), fresh_address()
        for _ in range(4):
            await throttle.record_failure(username, address)
        assert await wait_asked(throttle, username, address) == 4
        clock.now += timedelta(seconds=3)
        assert await wait_asked(throttle, username, address) == 1
        clock.now += timedelta(seconds=1)
        assert await wait_asked(throttle, username, address) == 0

    async def test_the_username_backoff_starts_much_later_and_is_capped_at_a_minute(
        self, throttle_and_clock
    ) -> None:
        throttle, _clock = throttle_and_clock
        username = unique("admin")
        for _ in range(19):  # ten times after_failures, each from its own address
            await throttle.record_failure(username, fresh_address())
        assert await wait_asked(throttle, username, fresh_address()) == 0
        for _ in range(20):
            await throttle.record_failure(username, fresh_address())
        assert await wait_asked(throttle, username, fresh_address()) == 60
