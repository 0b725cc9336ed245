"""A backup's extra outputs: read off the bus (inline or from the object store), stored as files
beside the config in the config's commit, and read or diffed per config version."""

from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_gitkeeper.backup_consumer import backup_of
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.planner import Backup, Fate
from netraven_gitkeeper.reader import ConfigReader
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.config_transport import (
    OUTPUT_INLINE_LIMIT,
    backup_output,
    config_fields,
    config_text_of,
)
from netraven_shared.events.backups import BackupOutput
from netraven_shared.events.config_read import ConfigDiffRequest, ConfigReadRequest

from tests.fixtures.factories import create_device, create_run
from tests.gitkeeper.backups import backed_up_event, store

LARGE_INVENTORY = "".join(f'NAME: "Slot {n}", DESCR: "module"\n' for n in range(4000))


async def backup_with_outputs(
    sessions, broker: NatsBroker, device: dict, config: str, outputs: list[BackupOutput]
) -> Backup:
    event = backed_up_event(
        device,
        await config_fields(broker, config) | {"outputs": outputs},
        await create_run(sessions, [device["id"]]),
    )
    return await backup_of(broker, event)


async def read(reader: ConfigReader, device: dict, commit: str, output: str | None) -> str | None:
    reply = await reader.read(
        ConfigReadRequest(device_id=device["id"], commit=commit, output=output)
    )
    return await config_text_of(reader._broker, reply) if reply.found else None


class TestOutputsBesideTheConfig:
    async def test_each_output_is_a_file_in_the_config_s_commit(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        reader: ConfigReader,
        repo: ConfigRepository,
        sessions,
    ) -> None:
        device = await create_device(admin, 2700, "gk-outputs")
        assert len(LARGE_INVENTORY.encode()) > OUTPUT_INLINE_LIMIT
        outputs = [
            await backup_output(broker, "version", "Version 15.2(7)E4\n"),
            await backup_output(broker, "inventory", LARGE_INVENTORY),
            BackupOutput(name="environment", missing="the device rejected 'show environment'"),
        ]
        assert outputs[1].text is None and outputs[1].object == outputs[1].sha256
        stored = await backup_with_outputs(sessions, broker, device, "hostname a\n", outputs)
        assert dict(stored.outputs) == {
            "version": "Version 15.2(7)E4\n",
            "inventory": LARGE_INVENTORY,
        }
        [result] = await store(writer, [stored])
        assert result.fate is Fate.COMMITTED
        host = device["hostname"]
        assert set(repo.paths_at_head()) >= {
            f"{host}.cfg",
            f"{host}.version.txt",
            f"{host}.inventory.txt",
        }
        assert f"{host}.environment.txt" not in repo.paths_at_head()
        assert await read(reader, device, result.commit, "version") == "Version 15.2(7)E4\n"
        assert await read(reader, device, result.commit, "inventory") == LARGE_INVENTORY
        assert await read(reader, device, result.commit, "environment") is None
        assert await read(reader, device, result.commit, None) == "hostname a\n"

    async def test_an_output_is_diffed_between_two_config_versions(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        writer: ConfigWriter,
        reader: ConfigReader,
        sessions,
    ) -> None:
        device = await create_device(admin, 2701, "gk-outputs")
        commits = []
        for config, version in (("hostname a\n", "Version 1\n"), ("hostname b\n", "Version 2\n")):
            output = await backup_output(broker, "version", version)
            backup = await backup_with_outputs(sessions, broker, device, config, [output])
            [result] = await store(writer, [backup])
            commits.append(result.commit)
        reply = await reader.diff(
            ConfigDiffRequest(
                device_id=device["id"],
                from_commit=commits[0],
                to_commit=commits[1],
                output="version",
            )
        )
        assert reply.found and (reply.added, reply.removed) == (1, 1)
        assert "-Version 1" in reply.config_text and "+Version 2" in reply.config_text

    async def test_an_output_that_does_not_match_its_sha256_is_left_out_and_the_config_kept(
        self, admin: AsyncClient, broker: NatsBroker, writer: ConfigWriter, sessions
    ) -> None:
        device = await create_device(admin, 2702, "gk-outputs")
        forged = (await backup_output(broker, "version", "Version 1\n")).model_copy(
            update={"text": "Version 2\n"}
        )
        stored = await backup_with_outputs(sessions, broker, device, "hostname c\n", [forged])
        assert stored.outputs == () and stored.text == "hostname c\n"
        [result] = await store(writer, [stored])
        assert result.fate is Fate.COMMITTED
