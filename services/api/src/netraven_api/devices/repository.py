from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.models import Device, RunResult


async def last_results(session: AsyncSession, device_ids: list[UUID]) -> dict[UUID, RunResult]:
    rows = await session.scalars(
        select(RunResult)
        .where(RunResult.device_id.in_(device_ids), RunResult.finished_at.is_not(None))
        .order_by(RunResult.device_id, RunResult.finished_at.desc())
        .ext(distinct_on(RunResult.device_id))
    )
    return {row.device_id: row for row in rows}


async def list_devices(session: AsyncSession, query: str | None, limit: int, offset: int) -> tuple[list[Device], int]:
    statement = select(Device)
    if query:
        pattern = f"%{query}%"
        statement = statement.where(Device.hostname.ilike(pattern) | Device.ip_address.ilike(pattern))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    devices = await session.scalars(statement.order_by(Device.hostname).limit(limit).offset(offset))
    return list(devices), total or 0


async def hostname_taken(session: AsyncSession, hostname: str) -> bool:
    return await session.scalar(select(Device.id).where(Device.hostname == hostname)) is not None
