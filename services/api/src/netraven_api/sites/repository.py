from uuid import UUID

from netraven_shared.db.models import Device, Site
from sqlalchemy import Uuid, any_, bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession


async def get_site(session: AsyncSession, site_id: UUID) -> Site | None:
    return await session.get(Site, site_id)


async def name_taken(session: AsyncSession, name: str) -> bool:
    return await session.scalar(select(Site.id).where(Site.name == name)) is not None


async def site_ids_by_name(session: AsyncSession) -> dict[str, UUID]:
    return {name: site_id for site_id, name in await session.execute(select(Site.id, Site.name))}


async def list_with_counts(session: AsyncSession) -> list[tuple[Site, int]]:
    devices = select(func.count(Device.id)).where(Device.site_id == Site.id).scalar_subquery()
    rows = await session.execute(select(Site, devices).order_by(Site.name))
    return [(site, count) for site, count in rows]


async def device_count(session: AsyncSession, site_id: UUID) -> int:
    return await session.scalar(select(func.count(Device.id)).where(Device.site_id == site_id)) or 0


async def delete_site(session: AsyncSession, site: Site) -> None:
    await session.execute(delete(Site).where(Site.id == site.id))


async def sites_of_devices(
    session: AsyncSession, device_ids: list[UUID]
) -> dict[UUID, tuple[str, str]]:
    """Device id → (site name, site public key), for the devices of `device_ids` that belong to a
    site. The ids travel as one array: a run of thousands of devices names them all."""
    ids = bindparam("device_ids", device_ids, type_=ARRAY(Uuid()))
    rows = await session.execute(
        select(Device.id, Site.name, Site.public_key)
        .join(Site, Site.id == Device.site_id)
        .where(Device.id == any_(ids))
    )
    return {device_id: (name, key) for device_id, name, key in rows}
