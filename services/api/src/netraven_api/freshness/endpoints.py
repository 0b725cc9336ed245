from typing import Annotated

from fastapi import APIRouter, Query
from netraven_shared.db.base import utc_now

from netraven_api.deps import SessionDep, SettingsDep, Viewer
from netraven_api.freshness import service
from netraven_api.freshness.schemas import FleetFreshness

# Beside the devices' routes, and included before them: /devices/{device_id} would take it.
router = APIRouter(prefix="/devices", tags=["devices"])


@router.get(
    "/freshness",
    summary="Backup freshness of the fleet: devices by age of their last good backup, stale "
    "devices in all and per tag, the stalest devices",
)
async def get_fleet_freshness(
    session: SessionDep,
    settings: SettingsDep,
    _: Viewer,
    stalest: Annotated[int, Query(ge=0, le=100, description="How many stalest devices")] = 10,
) -> FleetFreshness:
    return await service.fleet_freshness(session, utc_now(), settings.stale_after_hours, stalest)
