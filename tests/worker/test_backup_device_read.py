"""What a backup reads about its device and the credentials it may log in with."""

import asyncio
import uuid
from datetime import UTC, datetime
from uuid import UUID

from httpx import AsyncClient
from netraven_shared.db.models import ConfigVersion, Tag
from netraven_worker.inventory import BackupDevice, find_backup_devices, inventory_engine
from netraven_worker.logins import logins_for
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from tests.fixtures.api import CIPHER
from tests.fixtures.factories import create_credential, create_device, create_job, unique
from tests.fixtures.infra import Infra


async def find_backup_device(
    connection: AsyncConnection, device_id: UUID, run_id: UUID
) -> BackupDevice | None:
    return (await find_backup_devices(connection, [(device_id, run_id)])).get((device_id, run_id))


async def tag_ids(session: AsyncSession, *names: str) -> frozenset[UUID]:
    return frozenset(await session.scalars(select(Tag.id).where(Tag.name.in_(names))))


class TestInventoryEngine:
    async def test_reads_beyond_the_pool_wait_for_its_connections(self, infra: Infra) -> None:
        """A batch of dispatches reads at once: the reads past `pool_size` wait for a pooled
        connection instead of each opening (and on return closing) one of their own."""
        engine = inventory_engine(infra.database_url, pool_size=2)
        opened: list[object] = []
        event.listen(engine.sync_engine, "connect", lambda connection, _: opened.append(connection))

        async def read() -> None:
            async with engine.connect() as connection:
                assert await find_backup_device(connection, uuid.uuid4(), uuid.uuid4()) is None
                await asyncio.sleep(0.05)  # held, so the reads overlap

        try:
            await asyncio.gather(*(read() for _ in range(6)))
        finally:
            await engine.dispose()
        assert len(opened) == 2


class TestFindBackupDevices:
    async def test_reads_the_device_and_its_tags(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        tag = unique("inv")
        device = await create_device(admin, 22, tag)
        assert (
            await admin.patch(f"/api/devices/{device['id']}", json={"tags": [tag, "default"]})
        ).status_code == 200
        async with sessions() as session:
            by_id = await find_backup_device(
                await session.connection(), UUID(device["id"]), uuid.uuid4()
            )
            expected_tags = await tag_ids(session, tag, "default")
        assert (by_id.id, by_id.hostname, by_id.port, by_id.device_type) == (
            UUID(device["id"]),
            device["hostname"],
            22,
            "cisco_ios",
        )
        assert by_id.tag_ids == expected_tags and len(expected_tags) == 2
        assert (
            by_id.result_status,
            by_id.last_config_bytes,
            by_id.legacy_ssh,
            by_id.timeout_seconds,
        ) == (None, None, False, None)

    async def test_an_unknown_device_is_none(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        async with sessions() as session:
            assert (
                await find_backup_device(await session.connection(), uuid.uuid4(), uuid.uuid4())
                is None
            )

    async def test_carries_the_newest_stored_configs_size(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        device_id = UUID((await create_device(admin, 22, "read-timeout"))["id"])
        async with sessions() as session:
            for size, day in ((90_000, 1), (12_000, 3), (50_000, 2)):
                session.add(
                    ConfigVersion(
                        device_id=device_id,
                        commit=uuid.uuid4().hex[:40],
                        path="x.cfg",
                        sha256="0" * 64,
                        size_bytes=size,
                        committed_at=datetime(2026, 1, day, tzinfo=UTC),
                    )
                )
            await session.flush()
            device = await find_backup_device(await session.connection(), device_id, uuid.uuid4())
            await session.rollback()
        assert device.last_config_bytes == 12_000

    async def test_says_whether_its_result_in_this_run_is_settled(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await create_device(admin, 9, "cancelled-inventory")
        job = await create_job(admin, [device["id"]])
        run_id = UUID((await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"])
        device_id = UUID(device["id"])
        async with sessions() as session:
            assert not (
                await find_backup_device(await session.connection(), device_id, run_id)
            ).settled
        assert (await admin.post(f"/api/runs/{run_id}/cancel")).status_code == 200
        async with sessions() as session:
            assert (await find_backup_device(await session.connection(), device_id, run_id)).settled
            assert (
                await find_backup_device(await session.connection(), device_id, uuid.uuid4())
            ).settled, "a run that does not hold the device"

    async def test_one_statement_reads_a_device_for_each_run_that_names_it(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        device = await create_device(admin, 9, "two-runs-inventory")
        job = await create_job(admin, [device["id"]])
        run_id = UUID((await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"])
        device_id, other_run, unknown = UUID(device["id"]), uuid.uuid4(), uuid.uuid4()
        async with sessions() as session:
            found = await find_backup_devices(
                await session.connection(),
                [(device_id, run_id), (device_id, other_run), (unknown, run_id)],
            )
        assert set(found) == {(device_id, run_id), (device_id, other_run)}
        assert found[device_id, run_id].result_status is not None
        assert found[device_id, other_run].result_status is None


class TestLoginsFor:
    async def test_decrypts_the_credentials_sharing_a_tag_in_priority_order(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        tag, other = unique("logins"), unique("logins-other")
        second = await create_credential(admin, tag, "pw-second", priority=50)
        first = await create_credential(admin, tag, "pw-first", "en-first", priority=10)
        await create_credential(admin, other, "pw-elsewhere", priority=1)
        async with sessions() as session:
            logins = await logins_for(
                await session.connection(), await tag_ids(session, tag), CIPHER
            )
        assert [
            (str(login.credential_id), login.password, login.enable_secret) for login in logins
        ] == [
            (first["id"], "pw-first", "en-first"),
            (second["id"], "pw-second", None),
        ]

    async def test_no_tags_means_no_logins(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        async with sessions() as session:
            assert await logins_for(await session.connection(), frozenset(), CIPHER) == []
