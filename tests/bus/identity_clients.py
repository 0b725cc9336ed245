"""Connecting to the real NATS server as one of the identities, and telling a refusal (a
permissions violation) from other failures."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import nats
import pytest
from nats.aio.client import Client
from netraven_devstack.bus_credentials import BusCredentials

from tests.fixtures.infra import Infra


class Violations:
    def __init__(self) -> None:
        self.seen: list[str] = []

    async def on_error(self, error: Exception) -> None:
        self.seen.append(str(error))


async def connect(infra: Infra, identity: str, violations: Violations | None = None) -> Client:
    errors = violations or Violations()
    return await nats.connect(
        **infra.nats_options(identity),
        error_cb=errors.on_error,
        allow_reconnect=False,
        connect_timeout=3,
    )


@pytest.fixture
async def as_identity(infra: Infra) -> AsyncIterator:
    clients: list[Client] = []

    async def open_as(identity: str) -> tuple[Client, Violations]:
        violations = Violations()
        client = await connect(infra, identity, violations)
        clients.append(client)
        return client, violations

    yield open_as
    for client in clients:
        await client.close()


def requires_credentials(infra: Infra) -> BusCredentials:
    if infra.credentials is None:
        pytest.skip("NETRAVEN_NATS_URL points at a server whose identities the tests do not hold")
    return infra.credentials


async def refused(violations: Violations, action) -> bool:
    with contextlib.suppress(Exception):  # a refused request gets no reply (timeout) or an error
        await action()
    await asyncio.sleep(0.2)
    return any("permissions violation" in text.lower() for text in violations.seen)
