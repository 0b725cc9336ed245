"""A backup is the config and its extra outputs: an output that changes while the config does not
is a new version whose commit holds only the output file, recognised again when redelivered or
rebuilt from git, and never announced as a config change."""

import asyncio
import subprocess
from uuid import UUID

import nats
import pytest
from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_gitkeeper import writer as writer_module
from netraven_gitkeeper.announcer import BusAnnouncer, summary
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.planner import Backup, Fate, outputs_digest
from netraven_gitkeeper.reconcile import reconcile
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.db.models import ConfigVersion
from netraven_shared.events import ConfigChanged, ConfigStored, subjects
from sqlalchemy import delete, update

from tests.fixtures.factories import create_device, create_run
from tests.fixtures.infra import Infra
from tests.gitkeeper.backups import backup_of_text, commit_count, latest_version, store

CONFIG = "hostname edge\n!\ninterface Gi0/1\n!\nend\n"
INVENTORY = 'NAME: "Slot 1", DESCR: "WS-X4748", SN: FOX1\n'


async def backup(sessions, device: dict, **outputs: str) -> Backup:
    """A backup of `CONFIG` with these outputs, in a new run."""
    plain = backup_of_text(device, CONFIG, await create_run(sessions, [device["id"]]))
    return Backup(plain.event, plain.text, tuple(outputs.items()))


def files_in(repo: ConfigRepository, commit: str) -> list[str]:
    """The files a commit changed, added or removed."""
    shown = subprocess.run(
        ["git", "show", "--format=", "--name-only", commit],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return shown.split()


class CrashAfterCommit(RuntimeError):
    pass


async def fail_index_write(*_args) -> None:
    raise CrashAfterCommit("the process died between the git commit and the index write")


class TestAnOutputChangingAlone:
    async def test_is_a_commit_holding_only_the_output_file_and_indexed_with_its_digest(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2720, "gk-outchange")
        host = device["hostname"]
        [first] = await store(
            writer, [await backup(sessions, device, version="Version 1\n", inventory=INVENTORY)]
        )
        upgraded = await backup(sessions, device, version="Version 2\n", inventory=INVENTORY)
        [second] = await store(writer, [upgraded])

        assert second.fate is Fate.COMMITTED and second.commit != first.commit
        assert files_in(repo, second.commit) == [f"{host}.version.txt"]
        assert (second.old_commit, second.diff, second.changed_outputs) == (
            first.commit,
            "",
            ("version",),
        )
        assert second.changed and not second.config_changed
        assert "config unchanged, outputs changed: version" in summary(second)
        async with sessions() as session:
            version = await latest_version(session, UUID(device["id"]))
        assert (version.commit, version.sha256, version.changed_lines) == (
            second.commit,
            upgraded.event.sha256,
            0,
        )
        assert (
            version.outputs_sha256
            == outputs_digest(upgraded.outputs)
            != outputs_digest((("version", "Version 1\n"), ("inventory", INVENTORY)))
        )

    async def test_the_same_config_and_outputs_again_is_unchanged_and_a_redelivery_recognised(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2721, "gk-outchange")
        await store(writer, [await backup(sessions, device, version="Version 1\n")])
        upgraded = await backup(sessions, device, version="Version 2\n")
        [changed] = await store(writer, [upgraded])
        commits = commit_count(repo)

        [again] = await store(writer, [await backup(sessions, device, version="Version 2\n")])
        [redelivered] = await store(writer, [upgraded])

        assert again.fate is Fate.UNCHANGED and again.commit == changed.commit
        assert redelivered.fate is Fate.REDELIVERED and redelivered.commit == changed.commit
        assert redelivered.diff == "" and not redelivered.config_changed
        assert commit_count(repo) == commits

    async def test_an_output_the_backup_lacks_is_removed_from_the_device_s_files(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2722, "gk-outchange")
        host = device["hostname"]
        await store(
            writer, [await backup(sessions, device, version="Version 1\n", inventory=INVENTORY)]
        )
        [without] = await store(writer, [await backup(sessions, device, version="Version 1\n")])

        assert without.fate is Fate.COMMITTED and without.changed_outputs == ("inventory",)
        assert files_in(repo, without.commit) == [f"{host}.inventory.txt"]
        assert f"{host}.inventory.txt" not in repo.paths_at_head()
        assert {f"{host}.cfg", f"{host}.version.txt"} <= set(repo.paths_at_head())

    async def test_twice_in_one_batch_is_a_commit_per_version(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2727, "gk-outchange")
        batch = [
            await backup(sessions, device, version="Version 1\n"),
            await backup(sessions, device, version="Version 1\n"),
            await backup(sessions, device, version="Version 2\n"),
        ]
        first, same, upgraded = await store(writer, batch)

        assert [first.fate, same.fate, upgraded.fate] == [
            Fate.COMMITTED,
            Fate.UNCHANGED,
            Fate.COMMITTED,
        ]
        assert same.commit == first.commit and upgraded.old_commit == first.commit
        assert files_in(repo, upgraded.commit) == [f"{device['hostname']}.version.txt"]

    async def test_is_not_announced_as_a_config_change(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        sessions,
        infra: Infra,
    ) -> None:
        device = await create_device(admin, 2723, "gk-outchange")
        [first] = await store(writer, [await backup(sessions, device, version="Version 1\n")])
        [second] = await store(writer, [await backup(sessions, device, version="Version 2\n")])
        heard: dict[str, list] = {subjects.CONFIG_STORED: [], subjects.CONFIG_CHANGED: []}

        async def collect(message) -> None:
            event = ConfigStored if message.subject == subjects.CONFIG_STORED else ConfigChanged
            parsed = event.model_validate_json(message.data)
            if str(parsed.device_id) == device["id"]:
                heard[message.subject].append(parsed)

        listener = await nats.connect(**infra.nats_options())
        try:
            for subject in heard:
                await listener.subscribe(subject, cb=collect)
            await listener.flush()
            await BusAnnouncer(broker).announce([first, second])
            for _ in range(50):
                if len(heard[subjects.CONFIG_STORED]) == 2:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)
        finally:
            await listener.close()

        assert [e.commit for e in heard[subjects.CONFIG_STORED]] == [first.commit, second.commit]
        assert all(e.changed for e in heard[subjects.CONFIG_STORED])
        assert [e.new_commit for e in heard[subjects.CONFIG_CHANGED]] == [first.commit]


class TestOutputsInTheIndexRebuiltFromGit:
    async def test_reconcile_restores_rows_that_still_recognise_the_backup(
        self,
        admin: AsyncClient,
        writer: ConfigWriter,
        repo: ConfigRepository,
        sessions,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        device = await create_device(admin, 2724, "gk-outchange")
        await store(writer, [await backup(sessions, device, version="Version 1\n")])
        upgraded = await backup(sessions, device, version="Version 2\n")
        monkeypatch.setattr(writer_module, "record_versions", fail_index_write)
        with pytest.raises(CrashAfterCommit):
            await store(writer, [upgraded])
        monkeypatch.undo()
        commits = commit_count(repo)

        restarted = ConfigRepository(repo.root)
        assert (await reconcile(restarted, sessions)).indexed_versions == 1
        async with sessions() as session:
            version = await latest_version(session, UUID(device["id"]))
        assert (version.sha256, version.outputs_sha256, version.changed_lines) == (
            upgraded.event.sha256,
            upgraded.outputs_sha256,
            0,
        )

        rewriter = ConfigWriter(restarted, sessions)
        [redelivered] = await store(rewriter, [upgraded])
        [again] = await store(rewriter, [await backup(sessions, device, version="Version 2\n")])
        assert redelivered.fate is Fate.REDELIVERED and redelivered.commit == version.commit
        assert again.fate is Fate.UNCHANGED and commit_count(repo) == commits


class TestAlreadyInGit:
    async def test_weighs_every_file_of_the_backup_not_only_the_config(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2725, "gk-outchange")
        [stored] = await store(writer, [await backup(sessions, device, version="Version 1\n")])
        async with sessions() as session:
            await session.execute(
                delete(ConfigVersion).where(ConfigVersion.device_id == UUID(device["id"]))
            )
            await session.commit()

        [same] = await store(writer, [await backup(sessions, device, version="Version 1\n")])
        [other] = await store(writer, [await backup(sessions, device, version="Version 2\n")])

        assert same.fate is Fate.ALREADY_IN_GIT and same.commit == stored.commit
        assert other.fate is Fate.COMMITTED
        assert files_in(repo, other.commit) == [f"{device['hostname']}.version.txt"]

    async def test_fills_in_the_digest_of_a_version_indexed_before_outputs_were_digested(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2726, "gk-outchange")
        [stored] = await store(writer, [await backup(sessions, device, version="Version 1\n")])
        async with sessions() as session:
            await session.execute(
                update(ConfigVersion)
                .where(ConfigVersion.device_id == UUID(device["id"]))
                .values(outputs_sha256=None)
            )
            await session.commit()
        commits = commit_count(repo)

        [settled] = await store(writer, [await backup(sessions, device, version="Version 1\n")])
        [again] = await store(writer, [await backup(sessions, device, version="Version 1\n")])

        assert settled.fate is Fate.ALREADY_IN_GIT and settled.commit == stored.commit
        assert again.fate is Fate.UNCHANGED and commit_count(repo) == commits
