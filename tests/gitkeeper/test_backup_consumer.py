"""The backup consumer on real NATS JetStream and PostgreSQL: a burst of backups is one commit,
every message is acked once stored, a malformed or corrupt one is rejected and recorded alone, and
each changed device is announced."""

import asyncio
import uuid

import nats
import pytest
from faststream.nats import NatsBroker
from httpx import AsyncClient
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from netraven_gitkeeper.announcer import BusAnnouncer
from netraven_gitkeeper.backup_consumer import backup_consumer
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.events import ConfigChanged, subjects
from netraven_shared.messaging import stream_of

from tests.fixtures.consumers import rejections_on
from tests.fixtures.factories import create_device
from tests.fixtures.infra import Infra
from tests.gitkeeper.backups import commit_count, inline_backup

STREAM = stream_of(subjects.BACKUP_SUCCEEDED)


async def wait_until(predicate, timeout: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.2)


@pytest.fixture
async def durable(broker: NatsBroker):
    """A consumer of its own that starts at new messages: the stream also holds other tests'
    backups."""
    js = broker.config.connection_state.stream
    name = f"test-gitkeeper-{uuid.uuid4().hex[:8]}"
    await js.add_consumer(
        STREAM,
        ConsumerConfig(
            durable_name=name,
            deliver_policy=DeliverPolicy.NEW,
            ack_policy=AckPolicy.EXPLICIT,
            filter_subject=subjects.BACKUP_SUCCEEDED,
            ack_wait=60,
            max_deliver=10,
        ),
    )
    yield name
    await js.delete_consumer(STREAM, name)


class TestBackupConsumer:
    async def test_a_burst_is_one_commit_acked_after_storing_and_announced_per_device(
        self,
        admin: AsyncClient,
        broker: NatsBroker,
        repo: ConfigRepository,
        sessions,
        durable: str,
        infra: Infra,
    ) -> None:
        js = broker.config.connection_state.stream
        devices = [await create_device(admin, 2900 + n, "gk-pump") for n in range(20)]
        changed: list[ConfigChanged] = []

        async def collect(message) -> None:
            changed.append(ConfigChanged.model_validate_json(message.data))

        listener = await nats.connect(**infra.nats_options())
        await listener.subscribe(subjects.CONFIG_CHANGED, cb=collect)
        corrupt = (
            await inline_backup(sessions, devices[0], "hostname forged\nend\n")
        ).event.model_copy(update={"sha256": "0" * 64})
        consumer = backup_consumer(
            broker,
            ConfigWriter(repo, sessions),
            BusAnnouncer(broker),
            max_files=500,
            window_seconds=0.5,
            durable=durable,
        )
        async with rejections_on(infra, subjects.BACKUP_SUCCEEDED) as rejected:
            await js.publish(subjects.BACKUP_SUCCEEDED, b'{"run_id": "not a uuid"}')
            await js.publish(subjects.BACKUP_SUCCEEDED, corrupt.model_dump_json().encode())
            for device in devices:
                backup = await inline_backup(
                    sessions, device, f"hostname {device['hostname']}\nend\n"
                )
                await js.publish(subjects.BACKUP_SUCCEEDED, backup.event.model_dump_json().encode())
            await consumer.start()
            try:

                async def all_announced() -> bool:
                    return {str(c.device_id) for c in changed} >= {d["id"] for d in devices}

                async def nothing_pending() -> bool:
                    info = await js.consumer_info(STREAM, durable)
                    return info.num_pending == 0 and info.num_ack_pending == 0

                await wait_until(all_announced)
                await wait_until(nothing_pending)
                assert consumer.not_ready_reason() is None
            finally:
                await consumer.close()
                await listener.close()
        mine = [
            r for r in rejected if r.service == "gitkeeper"
        ]  # the api's run recorder consumes backups too
        assert sorted(r.reason.split(" ")[0] for r in mine) == ["config", "invalid"]
        assert all("forged" not in r.reason for r in mine)
        corrupt_reason = next(r.reason for r in mine if r.reason.startswith("config"))
        assert (
            devices[0]["id"] in corrupt_reason and devices[0]["hostname"] not in corrupt_reason
        ), "ids, never names the message brings"
        assert commit_count(repo) == 1
        announced = [c for c in changed if str(c.device_id) in {d["id"] for d in devices}]
        assert len(announced) == 20 and {c.new_commit for c in announced} == {repo.head()}
        assert all(
            c.old_commit is None and c.changed_lines == 2 and not c.diff_truncated
            for c in announced
        )
