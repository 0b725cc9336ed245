from uuid import UUID

from netraven_shared.db.models import ConfigVersion, Device
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def versions_of(session: AsyncSession, device_id: UUID, limit: int) -> list[ConfigVersion]:
    return list(
        await session.scalars(
            select(ConfigVersion)
            .where(ConfigVersion.device_id == device_id)
            .order_by(ConfigVersion.committed_at.desc(), ConfigVersion.id.desc())
            .limit(limit)
        )
    )


async def version_of(session: AsyncSession, device_id: UUID, commit: str) -> ConfigVersion | None:
    return await session.scalar(
        select(ConfigVersion).where(
            ConfigVersion.device_id == device_id, ConfigVersion.commit.startswith(commit)
        )
    )


async def newest_version(session: AsyncSession, device_id: UUID) -> ConfigVersion | None:
    """The device's newest version whose commit the repository still has."""
    return await session.scalar(
        select(ConfigVersion)
        .where(ConfigVersion.device_id == device_id, ConfigVersion.missing_from_repo.is_(False))
        .order_by(ConfigVersion.committed_at.desc(), ConfigVersion.id.desc())
        .limit(1)
    )


async def hostnames_of(session: AsyncSession, device_ids: list[UUID]) -> dict[UUID, str]:
    rows = await session.execute(
        select(Device.id, Device.hostname).where(Device.id.in_(device_ids))
    )
    return {device_id: hostname for device_id, hostname in rows}
