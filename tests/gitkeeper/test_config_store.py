"""Gitkeeper's store on real NATS (object store for large configs) and PostgreSQL."""

from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from faststream.nats import NatsBroker
from git import Repo
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_gitkeeper.repository import ConfigRepository
from netraven_gitkeeper.service import ConfigStore, CorruptConfig
from netraven_gitkeeper.versions import latest_version
from netraven_shared.config_transport import INLINE_LIMIT, config_fields
from netraven_shared.events import DeviceBackedUp
from netraven_shared.events.base import utc_now
from netraven_shared.events.config_read import ConfigReadRequest
from netraven_shared.messaging import build_broker, declare_streams
from netraven_shared.settings import NetRavenSettings
from tests.fixtures.factories import create_device
from tests.fixtures.infra import Infra


@pytest.fixture
async def broker(infra: Infra) -> AsyncIterator[NatsBroker]:
    broker = build_broker(NetRavenSettings(nats_url=infra.nats_url), "gitkeeper-test")
    await declare_streams(broker)
    yield broker
    await broker.stop()


@pytest.fixture
def store(tmp_path: Path, sessions: async_sessionmaker[AsyncSession], broker: NatsBroker) -> ConfigStore:
    return ConfigStore(ConfigRepository(tmp_path / "repo"), sessions, broker)


async def backed_up(broker: NatsBroker, device: dict, text: str) -> DeviceBackedUp:
    fields = await config_fields(broker, text)
    return DeviceBackedUp(
        run_id=uuid4(), device_id=device["id"], hostname=device["hostname"], device_type="cisco_ios",
        collected_at=utc_now(), **fields,
    )


def commits(path: Path) -> int:
    return len(list(Repo(path).iter_commits()))


class TestStore:
    async def test_the_same_event_twice_makes_one_version(self, admin: AsyncClient, broker: NatsBroker, store: ConfigStore, sessions, tmp_path: Path) -> None:
        device = await create_device(admin, 2600, "gk")
        event = await backed_up(broker, device, "hostname a\n!\nend\n")
        await store.store(event)
        await store.store(event)
        assert commits(tmp_path / "repo") == 1
        async with sessions() as session:
            assert (await latest_version(session, UUID(device["id"]))).sha256 == event.sha256

    async def test_an_unchanged_config_from_a_new_run_makes_no_commit(self, admin: AsyncClient, broker: NatsBroker, store: ConfigStore, tmp_path: Path) -> None:
        device = await create_device(admin, 2601, "gk")
        await store.store(await backed_up(broker, device, "hostname b\nend\n"))
        await store.store(await backed_up(broker, device, "hostname b\nend\n"))
        await store.store(await backed_up(broker, device, "hostname b\ninterface Lo1\nend\n"))
        assert commits(tmp_path / "repo") == 2

    async def test_a_config_over_the_inline_limit_travels_by_object_store(self, admin: AsyncClient, broker: NatsBroker, store: ConfigStore, sessions) -> None:
        device = await create_device(admin, 2602, "gk")
        large = "".join(f"interface Gi0/{n}\n description port {n}\n" for n in range(INLINE_LIMIT // 20))
        event = await backed_up(broker, device, large)
        assert event.config_text is None and event.config_object == event.sha256
        await store.store(event)
        async with sessions() as session:
            commit = (await latest_version(session, UUID(device["id"]))).commit
        reply = await store.read(ConfigReadRequest(device_id=device["id"], commit=commit))
        assert reply.found and reply.config_object and reply.sha256 == event.sha256

    async def test_a_config_that_does_not_match_its_sha256_is_refused(self, admin: AsyncClient, broker: NatsBroker, store: ConfigStore) -> None:
        device = await create_device(admin, 2603, "gk")
        event = (await backed_up(broker, device, "hostname c\n")).model_copy(update={"sha256": "0" * 64})
        with pytest.raises(CorruptConfig):
            await store.store(event)


class TestRead:
    async def test_an_unknown_commit_is_not_found(self, store: ConfigStore) -> None:
        reply = await store.read(ConfigReadRequest(device_id=uuid4(), commit="abcdef1"))
        assert reply.found is False
