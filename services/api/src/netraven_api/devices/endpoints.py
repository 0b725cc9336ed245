from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from netraven_api.deps import Operator, SessionDep, Viewer
from netraven_api.devices import repository, service
from netraven_api.devices.schemas import DeviceCreate, DeviceOut, DevicePage
from netraven_api.schemas_common import Offset

router = APIRouter(prefix="/devices", tags=["devices"])


@router.post("", status_code=201, summary="Add a device to the inventory")
async def create_device(data: DeviceCreate, session: SessionDep, _: Operator) -> DeviceOut:
    device = await service.create_device(session, data)
    await session.commit()
    return service.device_out(device, None)


@router.get("", summary="List devices (hostname or IP substring filter)")
async def list_devices(
    session: SessionDep,
    _: Viewer,
    q: Annotated[str | None, Query(max_length=255)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> DevicePage:
    items, total = await service.list_device_page(session, q, limit, offset)
    return DevicePage(items=items, total=total)


@router.get("/{device_id}", summary="One device")
async def get_device(device_id: UUID, session: SessionDep, _: Viewer) -> DeviceOut:
    device = await service.get_device(session, device_id)
    last = await repository.last_results(session, [device.id])
    return service.device_out(device, last.get(device.id))
