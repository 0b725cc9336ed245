"""The version index in PostgreSQL: gitkeeper writes it so the api never walks git."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.models import ConfigVersion


async def latest_version(session: AsyncSession, device_id: UUID) -> ConfigVersion | None:
    return await session.scalar(
        select(ConfigVersion)
        .where(ConfigVersion.device_id == device_id)
        .order_by(ConfigVersion.committed_at.desc(), ConfigVersion.id.desc())
        .limit(1)
    )


async def find_version(session: AsyncSession, device_id: UUID, commit: str) -> ConfigVersion | None:
    return await session.scalar(
        select(ConfigVersion).where(ConfigVersion.device_id == device_id, ConfigVersion.commit.startswith(commit))
    )


async def record_version(session: AsyncSession, version: dict) -> None:
    """Idempotent: the same commit for the same device is recorded once."""
    await session.execute(insert(ConfigVersion).values(**version).on_conflict_do_nothing())


async def latest_versions(session: AsyncSession) -> list[ConfigVersion]:
    """The newest version of every device."""
    return list(await session.scalars(
        select(ConfigVersion)
        .ext(distinct_on(ConfigVersion.device_id))
        .order_by(ConfigVersion.device_id, ConfigVersion.committed_at.desc(), ConfigVersion.id.desc())
    ))
