"""A flood on the integrator's subject is refused by its own stream while the rest keeps flowing;
the stores' limits fit each other and the server's."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import nats
import pytest
from nats.js.errors import APIError
from netraven_devstack.nats_server import EmbeddedNats
from netraven_devstack.ports import free_port
from netraven_shared.bus_streams import (
    BACKUPS_MAX_AGE_SECONDS,
    CONFIG_BUCKET,
    OBJECT_STORES,
    REQUESTS_STREAM,
    SERVER_MAX_FILE_STORE,
    STREAMS,
    store_bytes_reserved,
    stream_of,
)
from netraven_shared.events import subjects

from tests.fixtures.infra import Infra, declare_every_stream


@pytest.fixture
async def quiet_bus(infra: Infra, tmp_path: Path) -> AsyncIterator[Infra]:
    """A server of its own, with the same identities and no consumer draining the streams."""
    if infra.credentials is None:
        pytest.skip("needs the integrator identity")
    server = EmbeddedNats(
        store_dir=tmp_path / "nats", port=free_port(), credentials=infra.credentials
    )
    await asyncio.to_thread(server.start)
    bus = replace(infra, nats_url=server.url)
    await declare_every_stream(bus)
    yield bus
    await asyncio.to_thread(server.stop)


class TestFlood:
    async def test_a_flood_of_requests_is_refused_while_other_subjects_accept(
        self, quiet_bus: Infra
    ) -> None:
        infra = quiet_bus
        integrator = await nats.connect(**infra.nats_options("integrator"))
        worker = await nats.connect(**infra.nats_options("worker"))
        try:
            js = integrator.jetstream()
            stream = next(config for config in STREAMS if config.name == REQUESTS_STREAM)
            payload = b"x" * 60_000
            with pytest.raises(APIError, match="maximum"):
                for _ in range(2 * (stream.max_bytes or 0) // len(payload)):
                    await js.publish(subjects.JOB_REQUESTED, payload, timeout=5)
            ack = await worker.jetstream().publish(subjects.LOG_EMITTED, b"{}", timeout=5)
            assert ack.stream == stream_of(subjects.LOG_EMITTED)
            ack = await worker.jetstream().publish(subjects.BACKUP_STARTED, b"{}", timeout=5)
            assert ack.stream == stream_of(subjects.BACKUP_STARTED)
        finally:
            await integrator.close()
            await worker.close()


class TestLimits:
    def test_every_stream_has_a_byte_cap_and_an_age(self) -> None:
        assert all(config.max_bytes and config.max_age for config in STREAMS)

    def test_a_config_object_never_outlives_its_backup_message(self) -> None:
        store = next(config for config in OBJECT_STORES if config.bucket == CONFIG_BUCKET)
        assert store.ttl is not None and store.ttl <= BACKUPS_MAX_AGE_SECONDS

    def test_all_stores_together_fit_in_the_server_store(self) -> None:
        assert store_bytes_reserved() < SERVER_MAX_FILE_STORE
