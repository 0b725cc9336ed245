"""Gitkeeper's store on real NATS (object store for large configs) and PostgreSQL."""

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
from netraven_shared.config_transport import config_text_of
from netraven_shared.events.config_read import ConfigDiffRequest, ConfigReadRequest, ConfigSearchRequest
from tests.fixtures.factories import create_device


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


async def stored(broker: NatsBroker, store: ConfigStore, sessions, device: dict, text: str) -> str:
    await store.store(await backed_up(broker, device, text))
    async with sessions() as session:
        return (await latest_version(session, UUID(device["id"]))).commit


class TestDiff:
    async def test_shows_the_changed_line_between_two_versions(self, admin: AsyncClient, broker: NatsBroker, store: ConfigStore, sessions) -> None:
        device = await create_device(admin, 2604, "gk")
        old = await stored(broker, store, sessions, device, "hostname d\n!\nntp server 10.0.0.1\n!\nend\n")
        new = await stored(broker, store, sessions, device, "hostname d\n!\nntp server 10.0.0.2\nlogging host 10.0.0.9\n!\nend\n")
        reply = await store.diff(ConfigDiffRequest(device_id=device["id"], from_commit=old[:7], to_commit=new))
        assert reply.found and (reply.from_commit, reply.to_commit) == (old, new)
        assert (reply.added, reply.removed) == (2, 1)
        text = await config_text_of(broker, reply)
        assert "-ntp server 10.0.0.1\n" in text and "+ntp server 10.0.0.2\n" in text and "+logging host 10.0.0.9\n" in text

    async def test_the_same_version_twice_is_an_empty_diff(self, admin: AsyncClient, broker: NatsBroker, store: ConfigStore, sessions) -> None:
        device = await create_device(admin, 2605, "gk")
        commit = await stored(broker, store, sessions, device, "hostname e\nend\n")
        reply = await store.diff(ConfigDiffRequest(device_id=device["id"], from_commit=commit, to_commit=commit))
        assert reply.found and (reply.added, reply.removed) == (0, 0) and reply.config_text == ""

    async def test_a_commit_of_another_device_is_not_found(self, admin: AsyncClient, broker: NatsBroker, store: ConfigStore, sessions) -> None:
        mine, other = await create_device(admin, 2606, "gk"), await create_device(admin, 2607, "gk")
        commit = await stored(broker, store, sessions, mine, "hostname f\nend\n")
        foreign = await stored(broker, store, sessions, other, "hostname g\nend\n")
        reply = await store.diff(ConfigDiffRequest(device_id=mine["id"], from_commit=commit, to_commit=foreign))
        assert reply.found is False


class TestSearch:
    async def test_finds_a_line_with_context_in_the_latest_config_only(self, admin: AsyncClient, broker: NatsBroker, store: ConfigStore, sessions) -> None:
        device, quiet = await create_device(admin, 2608, "gk"), await create_device(admin, 2609, "gk")
        await stored(broker, store, sessions, device, "hostname h\nsnmp-server location OLD-LAB-7\nend\n")
        latest = await stored(broker, store, sessions, device, "hostname h\n!\ninterface Lo0\n snmp-server location lab-7q\n!\nend\n")
        await stored(broker, store, sessions, quiet, "hostname i\nend\n")
        reply = await store.search(ConfigSearchRequest(query="LOCATION LAB-7Q"))
        assert [(r.device_id, r.commit) for r in reply.results] == [(UUID(device["id"]), latest)]
        [match] = reply.results[0].matches
        assert match.line_number == 4 and match.line == " snmp-server location lab-7q"
        assert match.before == ["!", "interface Lo0"] and match.after == ["!", "end"]
        assert (await store.search(ConfigSearchRequest(query="OLD-LAB-7"))).results == []

    async def test_caps_devices_and_says_so(self, admin: AsyncClient, broker: NatsBroker, store: ConfigStore, sessions) -> None:
        for port in (2610, 2611, 2612):
            await stored(broker, store, sessions, await create_device(admin, port, "gk"), "hostname j\nbanner motd zz-capped-zz\nend\n")
        reply = await store.search(ConfigSearchRequest(query="zz-capped-zz", limit=2))
        assert len(reply.results) == 2 and reply.truncated
        assert not (await store.search(ConfigSearchRequest(query="zz-capped-zz", limit=3))).truncated

    async def test_an_empty_repository_finds_nothing(self, store: ConfigStore) -> None:
        reply = await store.search(ConfigSearchRequest(query="anything"))
        assert reply.results == [] and not reply.truncated
