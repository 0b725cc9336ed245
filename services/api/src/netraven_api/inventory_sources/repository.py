from uuid import UUID

from netraven_shared.db.models import Device, InventorySource
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 10_000  # names per IN (...): asyncpg takes at most 32,767 parameters per statement


async def list_sources(session: AsyncSession) -> list[InventorySource]:
    return list(await session.scalars(select(InventorySource).order_by(InventorySource.name)))


async def get_source(
    session: AsyncSession, source_id: UUID, *, for_update: bool = False
) -> InventorySource | None:
    """The source; locked and read afresh `for_update` (one sync of a source at a time)."""
    return await session.get(
        InventorySource, source_id, with_for_update=for_update, populate_existing=for_update
    )


async def name_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> bool:
    statement = select(InventorySource.id).where(InventorySource.name == name)
    if except_id is not None:
        statement = statement.where(InventorySource.id != except_id)
    return await session.scalar(statement) is not None


async def device_counts(session: AsyncSession) -> dict[UUID, tuple[int, int]]:
    """Per source: its devices, and how many of them are orphaned."""
    rows = await session.execute(
        select(Device.source_id, func.count(), func.count(Device.orphaned_at))
        .where(Device.source_id.is_not(None))
        .group_by(Device.source_id)
    )
    return {row[0]: (row[1], row[2]) for row in rows if row[0] is not None}


async def devices_of(session: AsyncSession, source_id: UUID, *, for_update: bool) -> list[Device]:
    statement = select(Device).where(Device.source_id == source_id)
    if for_update:
        statement = statement.with_for_update(of=Device)
    return list(await session.scalars(statement))


async def devices_named(session: AsyncSession, hostnames: list[str]) -> dict[str, Device]:
    found: dict[str, Device] = {}
    for start in range(0, len(hostnames), CHUNK):
        chunk = hostnames[start : start + CHUNK]
        found.update(
            (device.hostname, device)
            for device in await session.scalars(select(Device).where(Device.hostname.in_(chunk)))
        )
    return found


async def release_devices(session: AsyncSession, source_id: UUID) -> None:
    """The source's devices become devices added by hand: none is orphaned any more."""
    await session.execute(
        update(Device)
        .where(Device.source_id == source_id)
        .values(source_id=None, external_id=None, orphaned_at=None)
    )
