"""Deleting a device deletes its results; each run that held one is refreshed at once, so a run
waiting only on that device finishes, and an open run left with no device is cancelled, instead of
staying "running"."""

from uuid import UUID

from httpx import AsyncClient
from netraven_api.runs.handlers import recording
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.test_run_status import failed, started, stored
from tests.fixtures.factories import create_device, create_run, unique


async def run_of(admin: AsyncClient, run_id: str) -> dict:
    return (await admin.get(f"/api/runs/{run_id}")).json()


def tallies(run: dict) -> tuple[str, int, int, int]:
    return run["status"], run["device_count"], run["succeeded"], run["failed"]


async def run_over(
    admin: AsyncClient, sessions: async_sessionmaker[AsyncSession], n: int
) -> tuple[list[dict], str]:
    """`n` new devices and a run of them."""
    tag = unique("deleted-mid-run")
    devices = [await create_device(admin, 22, tag) for _ in range(n)]
    return devices, await create_run(sessions, [device["id"] for device in devices])


async def test_a_run_with_other_devices_still_open_keeps_running_then_finishes(
    admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    d, run_id = await run_over(admin, sessions, 3)
    run = UUID(run_id)
    await recording(sessions)([stored(run, d[0])])
    assert (await admin.delete(f"/api/devices/{d[1]['id']}")).status_code == 204
    assert tallies(await run_of(admin, run_id)) == ("running", 3, 1, 0)

    await recording(sessions)([stored(run, d[2])])
    assert tallies(await run_of(admin, run_id)) == ("succeeded", 3, 2, 0)


async def test_a_run_waiting_only_on_the_deleted_device_finishes(
    admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    d, run_id = await run_over(admin, sessions, 2)
    await recording(sessions)([failed(UUID(run_id), d[0])])
    assert (await admin.delete(f"/api/devices/{d[1]['id']}")).status_code == 204
    run = await run_of(admin, run_id)
    assert tallies(run) == ("failed", 2, 0, 1) and run["finished_at"]


async def test_an_open_run_left_with_no_device_is_cancelled_and_keeps_its_tallies(
    admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    d, run_id = await run_over(admin, sessions, 1)
    await recording(sessions)([started(UUID(run_id), d[0])])
    assert (await admin.delete(f"/api/devices/{d[0]['id']}")).status_code == 204
    run = await run_of(admin, run_id)
    assert tallies(run) == ("cancelled", 1, 0, 0) and run["finished_at"]


async def test_a_finished_run_left_with_no_device_keeps_its_status(
    admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    d, run_id = await run_over(admin, sessions, 1)
    await recording(sessions)([stored(UUID(run_id), d[0])])
    assert (await admin.delete(f"/api/devices/{d[0]['id']}")).status_code == 204
    assert tallies(await run_of(admin, run_id)) == ("succeeded", 1, 1, 0)


async def test_a_deleted_device_success_and_a_later_one_are_both_counted(
    admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    d, run_id = await run_over(admin, sessions, 3)
    run = UUID(run_id)
    await recording(sessions)([stored(run, d[0])])
    assert (await admin.delete(f"/api/devices/{d[0]['id']}")).status_code == 204

    await recording(sessions)([stored(run, d[1])])
    assert tallies(await run_of(admin, run_id)) == ("running", 3, 2, 0)
    await recording(sessions)([failed(run, d[2])])
    assert tallies(await run_of(admin, run_id)) == ("partial", 3, 2, 1)
