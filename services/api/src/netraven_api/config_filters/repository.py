from uuid import UUID

from netraven_shared.db.models import ConfigFilter, ConfigFilterVersion, Tag
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def list_filters(session: AsyncSession) -> list[tuple[ConfigFilter, str | None]]:
    """Every filter with its tag's name (None for a platform filter), by name."""
    rows = await session.execute(
        select(ConfigFilter, Tag.name)
        .outerjoin(Tag, Tag.id == ConfigFilter.tag_id)
        .order_by(ConfigFilter.name)
    )
    return [(config_filter, tag) for config_filter, tag in rows]


async def get_filter(session: AsyncSession, filter_id: UUID) -> ConfigFilter | None:
    return await session.get(ConfigFilter, filter_id)


async def tag_name(session: AsyncSession, tag_id: UUID) -> str | None:
    return await session.scalar(select(Tag.name).where(Tag.id == tag_id))


async def tag_id_named(session: AsyncSession, name: str) -> UUID | None:
    return await session.scalar(select(Tag.id).where(Tag.name == name))


async def name_taken(session: AsyncSession, name: str, other_than: UUID | None = None) -> bool:
    query = select(ConfigFilter.id).where(ConfigFilter.name == name)
    if other_than is not None:
        query = query.where(ConfigFilter.id != other_than)
    return await session.scalar(query) is not None


async def versions_of(session: AsyncSession, filter_id: UUID) -> list[ConfigFilterVersion]:
    return list(
        await session.scalars(
            select(ConfigFilterVersion)
            .where(ConfigFilterVersion.filter_id == filter_id)
            .order_by(ConfigFilterVersion.version.desc())
        )
    )


async def version_of(
    session: AsyncSession, filter_id: UUID, version: int
) -> ConfigFilterVersion | None:
    return await session.scalar(
        select(ConfigFilterVersion).where(
            ConfigFilterVersion.filter_id == filter_id, ConfigFilterVersion.version == version
        )
    )


async def names_scoped_by_tag(session: AsyncSession, tag_id: UUID) -> list[str]:
    return list(
        await session.scalars(
            select(ConfigFilter.name)
            .where(ConfigFilter.tag_id == tag_id)
            .order_by(ConfigFilter.name)
        )
    )
