"""Storing one backup at a time, and the config-read RPCs, on real NATS (object store) and
PostgreSQL."""

from uuid import UUID, uuid4

import pytest
from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_gitkeeper.backup_consumer import backup_of
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.planner import Fate
from netraven_gitkeeper.reader import ConfigReader
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.config_transport import INLINE_LIMIT, config_text_of
from netraven_shared.events.config_read import (
    ConfigDiffRequest,
    ConfigReadRequest,
    ConfigSearchRequest,
)
from netraven_shared.rejection import Rejected

from tests.fixtures.factories import create_device
from tests.gitkeeper.backups import backup, commit_count, latest_version, store


class TestStore:
    async def test_the_same_backup_twice_makes_one_version(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        repo: ConfigRepository,
        sessions,
    ) -> None:
        device = await create_device(admin, 2600, "gk")
        once = await backup(sessions, broker, device, "hostname a\n!\nend\n")
        [first] = await store(writer, [once])
        [again] = await store(writer, [once])
        assert (first.fate, again.fate) == (Fate.COMMITTED, Fate.REDELIVERED)
        assert again.commit == first.commit and commit_count(repo) == 1
        async with sessions() as session:
            assert (await latest_version(session, UUID(device["id"]))).sha256 == once.event.sha256

    async def test_an_unchanged_config_from_a_new_run_makes_no_commit(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        repo: ConfigRepository,
        sessions,
    ) -> None:
        device = await create_device(admin, 2601, "gk")
        await store(writer, [await backup(sessions, broker, device, "hostname b\nend\n")])
        [same] = await store(writer, [await backup(sessions, broker, device, "hostname b\nend\n")])
        await store(
            writer, [await backup(sessions, broker, device, "hostname b\ninterface Lo1\nend\n")]
        )
        assert same.fate is Fate.UNCHANGED and not same.changed
        assert commit_count(repo) == 2

    async def test_a_config_over_the_inline_limit_travels_by_object_store(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        reader: ConfigReader,
        sessions,
    ) -> None:
        device = await create_device(admin, 2602, "gk")
        large = "".join(
            f"interface Gi0/{n}\n description port {n}\n" for n in range(INLINE_LIMIT // 20)
        )
        stored = await backup(sessions, broker, device, large)
        assert (
            stored.event.config_text is None and stored.event.config_object == stored.event.sha256
        )
        [result] = await store(writer, [stored])
        reply = await reader.read(ConfigReadRequest(device_id=device["id"], commit=result.commit))
        assert reply.found and reply.config_object and reply.sha256 == stored.event.sha256

    async def test_a_config_that_does_not_match_its_sha256_is_refused(
        self, admin: AsyncClient, broker: NatsBroker, sessions
    ) -> None:
        device = await create_device(admin, 2603, "gk")
        event = (await backup(sessions, broker, device, "hostname c\n")).event.model_copy(
            update={"sha256": "0" * 64}
        )
        with pytest.raises(Rejected):
            await backup_of(broker, event)


class TestRead:
    async def test_an_unknown_commit_is_not_found(self, reader: ConfigReader) -> None:
        reply = await reader.read(ConfigReadRequest(device_id=uuid4(), commit="abcdef1"))
        assert reply.found is False


async def stored(
    sessions, broker: NatsBroker, writer: ConfigWriter, device: dict, text: str
) -> str:
    [result] = await store(writer, [await backup(sessions, broker, device, text)])
    return result.commit


class TestDiff:
    async def test_shows_the_changed_line_between_two_versions(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        reader: ConfigReader,
        sessions,
    ) -> None:
        device = await create_device(admin, 2604, "gk")
        old = await stored(
            sessions, broker, writer, device, "hostname d\n!\nntp server 10.0.0.1\n!\nend\n"
        )
        new = await stored(
            sessions,
            broker,
            writer,
            device,
            "hostname d\n!\nntp server 10.0.0.2\nlogging host 10.0.0.9\n!\nend\n",
        )
        reply = await reader.diff(
            ConfigDiffRequest(device_id=device["id"], from_commit=old[:7], to_commit=new)
        )
        assert reply.found and (reply.from_commit, reply.to_commit) == (old, new)
        assert (reply.added, reply.removed) == (2, 1)
        text = await config_text_of(broker, reply)
        assert (
            "-ntp server 10.0.0.1\n" in text
            and "+ntp server 10.0.0.2\n" in text
            and "+logging host 10.0.0.9\n" in text
        )

    async def test_the_same_version_twice_is_an_empty_diff(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        reader: ConfigReader,
        sessions,
    ) -> None:
        device = await create_device(admin, 2605, "gk")
        commit = await stored(sessions, broker, writer, device, "hostname e\nend\n")
        reply = await reader.diff(
            ConfigDiffRequest(device_id=device["id"], from_commit=commit, to_commit=commit)
        )
        assert reply.found and (reply.added, reply.removed) == (0, 0) and reply.config_text == ""

    async def test_a_commit_of_another_device_is_not_found(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        reader: ConfigReader,
        sessions,
    ) -> None:
        mine, other = await create_device(admin, 2606, "gk"), await create_device(admin, 2607, "gk")
        commit = await stored(sessions, broker, writer, mine, "hostname f\nend\n")
        foreign = await stored(sessions, broker, writer, other, "hostname g\nend\n")
        reply = await reader.diff(
            ConfigDiffRequest(device_id=mine["id"], from_commit=commit, to_commit=foreign)
        )
        assert reply.found is False


class TestSearch:
    async def test_finds_a_line_with_context_in_the_latest_config_only(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        reader: ConfigReader,
        sessions,
    ) -> None:
        device, quiet = (
            await create_device(admin, 2608, "gk"),
            await create_device(admin, 2609, "gk"),
        )
        await stored(
            sessions, broker, writer, device, "hostname h\nsnmp-server location OLD-LAB-7\nend\n"
        )
        latest = await stored(
            sessions,
            broker,
            writer,
            device,
            "hostname h\n!\ninterface Lo0\n snmp-server location lab-7q\n!\nend\n",
        )
        await stored(sessions, broker, writer, quiet, "hostname i\nend\n")
        reply = await reader.search(ConfigSearchRequest(query="LOCATION LAB-7Q"))
        assert [(r.device_id, r.commit) for r in reply.results] == [(UUID(device["id"]), latest)]
        [match] = reply.results[0].matches
        assert match.line_number == 4 and match.line == " snmp-server location lab-7q"
        assert match.before == ["!", "interface Lo0"] and match.after == ["!", "end"]
        assert (await reader.search(ConfigSearchRequest(query="OLD-LAB-7"))).results == []

    async def test_caps_devices_and_says_so(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        reader: ConfigReader,
        sessions,
    ) -> None:
        for port in (2610, 2611, 2612):
            await stored(
                sessions,
                broker,
                writer,
                await create_device(admin, port, "gk"),
                "hostname j\nbanner motd zz-capped-zz\nend\n",
            )
        reply = await reader.search(ConfigSearchRequest(query="zz-capped-zz", limit=2))
        assert len(reply.results) == 2 and reply.truncated
        assert not (
            await reader.search(ConfigSearchRequest(query="zz-capped-zz", limit=3))
        ).truncated

    async def test_an_empty_repository_finds_nothing(self, reader: ConfigReader) -> None:
        reply = await reader.search(ConfigSearchRequest(query="anything"))
        assert reply.results == [] and not reply.truncated
