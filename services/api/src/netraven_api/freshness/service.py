from datetime import datetime

from netraven_shared.db import freshness
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.freshness.schemas import FleetFreshness
from netraven_api.freshness.summary import summarize


async def fleet_freshness(
    session: AsyncSession, now: datetime, default_hours: float, stalest: int
) -> FleetFreshness:
    devices = await freshness.device_freshness(session, default_hours)
    tags = await freshness.device_tag_names(session)
    return summarize(devices, tags, now, default_hours, stalest)
