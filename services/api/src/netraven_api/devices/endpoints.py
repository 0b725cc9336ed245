from typing import Annotated
from uuid import UUID

import structlog
from fastapi import APIRouter, Query, Request, Response

from netraven_api.deps import Operator, OutboxRelayDep, SessionDep, Viewer
from netraven_api.devices import import_reader, importer, repository, service
from netraven_api.devices.schemas import (
    BackupStatus, DeviceCreate, DeviceFilter, DeviceOut, DevicePage, DeviceSort, DeviceUpdate, ImportReport,
    ReachabilityStatus,
)
from netraven_api.errors import error_responses
from netraven_api.jobs.schemas import RunAccepted
from netraven_api.schemas_common import Offset

log = structlog.get_logger()
router = APIRouter(prefix="/devices", tags=["devices"])

_CSV_HELP = (
    "Columns hostname,ip_address,device_type,port,timeout_seconds,legacy_ssh,tags (all but the first three optional; "
    "tags separated by `;`, legacy_ssh true or false)."
)
_IMPORT_ROWS = {"type": "array", "maxItems": import_reader.MAX_ROWS, "items": DeviceCreate.model_json_schema()}
IMPORT_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "properties": {"devices": _IMPORT_ROWS}, "required": ["devices"]}},
    "text/csv": {"schema": {"type": "string", "description": _CSV_HELP}},
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary", "description": _CSV_HELP}},
    }},
}}}


@router.post("", status_code=201, summary="Add a device to the inventory", responses=error_responses(403, 409))
async def create_device(data: DeviceCreate, session: SessionDep, _: Operator) -> DeviceOut:
    device = await service.create_device(session, data)
    await session.commit()
    return service.device_out(device, None)


@router.post(
    "/import", summary="Import devices from JSON or CSV; a report per row",
    description="Every row is validated first; failing rows are reported and skipped, valid rows are created "
    f"together. At most {import_reader.MAX_ROWS} rows (413 beyond).",
    openapi_extra=IMPORT_BODY,
    responses=error_responses(403, 413),
)
async def import_devices(request: Request, session: SessionDep, user: Operator) -> ImportReport:
    report = await importer.import_devices(session, await import_reader.read_rows(request))
    await session.commit()
    log.info("devices.imported", created=report.created, failed=report.failed, by=user.username)
    return report


@router.get("", summary="List devices: filter, sort, page")
async def list_devices(
    session: SessionDep,
    _: Viewer,
    q: Annotated[str | None, Query(max_length=255, description="Hostname or IP substring")] = None,
    device_type: Annotated[str | None, Query(max_length=50)] = None,
    tag: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[BackupStatus | None, Query(description="Outcome of the last finished backup")] = None,
    reachability: Annotated[ReachabilityStatus | None, Query(description="Outcome of the last reachability check")] = None,
    sort: DeviceSort = DeviceSort.HOSTNAME,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> DevicePage:
    where = DeviceFilter(q=q, device_type=device_type, tag=tag, status=status, reachability=reachability, sort=sort)
    items, total = await service.list_device_page(session, where, limit, offset)
    return DevicePage(items=items, total=total)


@router.get("/{device_id}", summary="One device", responses=error_responses(404))
async def get_device(device_id: UUID, session: SessionDep, _: Viewer) -> DeviceOut:
    device = await service.get_device(session, device_id)
    last = await repository.last_results(session, [device.id])
    return service.device_out(device, last.get(device.id))


@router.patch(
    "/{device_id}", summary="Change a device (only the fields sent)",
    responses=error_responses(403, 404, 409),
)
async def update_device(device_id: UUID, data: DeviceUpdate, session: SessionDep, _: Operator) -> DeviceOut:
    device = await service.update_device(session, device_id, data)
    last = await repository.last_results(session, [device.id])
    await session.commit()
    return service.device_out(device, last.get(device.id))


@router.delete(
    "/{device_id}", status_code=204, summary="Remove a device (its run results go with it)",
    responses=error_responses(403, 404),
)
async def delete_device(device_id: UUID, session: SessionDep, user: Operator) -> Response:
    await service.delete_device(session, device_id)
    await session.commit()
    log.info("device.deleted", device_id=str(device_id), by=user.username)
    return Response(status_code=204)


@router.post(
    "/{device_id}/backup", status_code=202, summary="Back up this one device now (an ad-hoc run, no job)",
    responses=error_responses(403, 404),
)
async def back_up_device(device_id: UUID, session: SessionDep, relay: OutboxRelayDep, user: Operator) -> RunAccepted:
    run = await service.run_device_now(session, device_id, "backup")
    await session.commit()
    relay.wake()
    log.info("device.backup_requested", device_id=str(device_id), run_id=str(run.id), by=user.username)
    return RunAccepted(run_id=run.id)


@router.post(
    "/{device_id}/reachability", status_code=202,
    summary="Check now that this device's SSH port answers (an ad-hoc run: TCP connect and latency, no login)",
    responses=error_responses(403, 404),
)
async def check_device_reachability(device_id: UUID, session: SessionDep, relay: OutboxRelayDep, user: Operator) -> RunAccepted:
    run = await service.run_device_now(session, device_id, "reachability")
    await session.commit()
    relay.wake()
    log.info("device.reachability_requested", device_id=str(device_id), run_id=str(run.id), by=user.username)
    return RunAccepted(run_id=run.id)
