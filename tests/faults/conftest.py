"""The fault suite's own stack: its own NATS, its own database, its own five services, so killing
its api or scheduler never touches another test, and no in-process api (tests/api's) answers on its
bus. Its scheduler ticks every second: no fake clock shares its database."""

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from httpx import AsyncClient
from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import free_port

from tests.fixtures.databases import fresh_database
from tests.fixtures.infra import Infra
from tests.fixtures.stack import Stack, admin_client, running_stack


@pytest.fixture(scope="module")
def fault_infra(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
    store = tmp_path_factory.mktemp("fault-nats") / "nats"
    with EmbeddedNats(store_dir=store, port=free_port(), credentials=infra.credentials) as nats:
        yield Infra(
            database_url=asyncio.run(fresh_database(infra, "netraven_faults")),
            nats_url=nats.url,
            credentials=infra.credentials,
        )


@pytest.fixture(scope="module")
def fault_stack(fault_infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(
        fault_infra, tmp_path_factory.mktemp("fault-stack"), NETRAVEN_TICK_SECONDS="1"
    ) as stack:
        yield stack


@pytest.fixture(scope="module")
async def fault_admin(fault_stack: Stack) -> AsyncIterator[AsyncClient]:
    async with admin_client(fault_stack) as client:
        yield client
