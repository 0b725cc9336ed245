"""The trace suite's own stack, its services exporting their spans to an OTLP receiver the test
runs: its own NATS and database, so no other test's traffic lands in its traces. Its scheduler
ticks every second (no fake clock shares its database)."""

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from httpx import AsyncClient
from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import free_port

from tests.fixtures.databases import fresh_database
from tests.fixtures.infra import Infra
from tests.fixtures.otlp_receiver import OtlpReceiver, otlp_receiver
from tests.fixtures.stack import Stack, admin_client, running_stack


@pytest.fixture(scope="module")
def receiver() -> Iterator[OtlpReceiver]:
    with otlp_receiver() as running:
        yield running


@pytest.fixture(scope="module")
def traced_stack(
    infra: Infra, receiver: OtlpReceiver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    store = tmp_path_factory.mktemp("trace-nats") / "nats"
    with EmbeddedNats(store_dir=store, port=free_port(), credentials=infra.credentials) as nats:
        traced_infra = Infra(
            database_url=asyncio.run(fresh_database(infra, "netraven_traces")),
            nats_url=nats.url,
            credentials=infra.credentials,
        )
        with running_stack(
            traced_infra,
            tmp_path_factory.mktemp("trace-stack"),
            NETRAVEN_TICK_SECONDS="1",
            OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url,
            OTEL_BSP_SCHEDULE_DELAY="200",  # ms: spans reach the receiver soon after they end
        ) as stack:
            yield stack


@pytest.fixture(scope="module")
async def traced_admin(traced_stack: Stack) -> AsyncIterator[AsyncClient]:
    async with admin_client(traced_stack) as client:
        yield client
