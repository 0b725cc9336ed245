from uuid import UUID

from netraven_shared.bus_identities import SITE_IDENTITY_PREFIX
from netraven_shared.db.models import Site
from netraven_shared.errors import Conflict, NotFound
from netraven_shared.events.site_dispatch import site_subject
from netraven_shared.site_seal import fingerprint
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.sites import repository
from netraven_api.sites.schemas import SiteCreate, SiteOut, SiteUpdate


def site_out(site: Site, device_count: int) -> SiteOut:
    return SiteOut(
        id=site.id,
        name=site.name,
        description=site.description,
        public_key=site.public_key,
        public_key_fingerprint=fingerprint(site.public_key),
        device_count=device_count,
        subject=site_subject(site.name),
        bus_identity=f"{SITE_IDENTITY_PREFIX}{site.name}",
        created_at=site.created_at,
        updated_at=site.updated_at,
    )


async def list_sites(session: AsyncSession) -> list[SiteOut]:
    return [site_out(site, count) for site, count in await repository.list_with_counts(session)]


async def get_site(session: AsyncSession, site_id: UUID) -> Site:
    site = await repository.get_site(session, site_id)
    if site is None:
        raise NotFound(f"no site with id {site_id}")
    return site


async def require_site(session: AsyncSession, site_id: UUID | None) -> None:
    """A device may name a site only if it exists."""
    if site_id is not None:
        await get_site(session, site_id)


async def read_site(session: AsyncSession, site_id: UUID) -> SiteOut:
    site = await get_site(session, site_id)
    return site_out(site, await repository.device_count(session, site_id))


async def create_site(session: AsyncSession, data: SiteCreate) -> SiteOut:
    if await repository.name_taken(session, data.name):
        raise Conflict(f"a site named '{data.name}' already exists")
    site = Site(name=data.name, description=data.description, public_key=data.public_key)
    session.add(site)
    await session.flush()
    return site_out(site, 0)


async def update_site(session: AsyncSession, site_id: UUID, data: SiteUpdate) -> SiteOut:
    site = await get_site(session, site_id)
    if data.description is not None:
        site.description = data.description
    if data.public_key is not None:
        site.public_key = data.public_key
    await session.flush()
    return await read_site(session, site_id)


async def delete_site(session: AsyncSession, site_id: UUID) -> str:
    """Delete the site, or refuse (409) while devices belong to it. Returns its name."""
    site = await get_site(session, site_id)
    if count := await repository.device_count(session, site_id):
        raise Conflict(
            f"the site '{site.name}' still has {count} device(s): move them to another site "
            "(or to the central workers) first"
        )
    await repository.delete_site(session, site)
    return site.name
