from functools import partial
from typing import Annotated
from uuid import UUID

import structlog
from fastapi import APIRouter, Query, Response
from netraven_shared.host_keys import HostKeyStatus

from netraven_api.audit.changes import summarize
from netraven_api.audit.security_decisions import audit
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.compliance.schemas import EvaluationStatus
from netraven_api.deps import (
    Admin,
    BrokerDep,
    DriverCatalogDep,
    Operator,
    OutboxRelayDep,
    SessionDep,
    SettingsDep,
    Viewer,
)
from netraven_api.devices import service
from netraven_api.devices.schemas import (
    BackupStatus,
    DeviceCreate,
    DeviceFilter,
    DeviceOut,
    DevicePage,
    DeviceSort,
    DeviceUpdate,
    ReachabilityStatus,
)
from netraven_api.errors import error_responses
from netraven_api.jobs.schemas import RunAccepted
from netraven_api.schemas_common import Offset
from netraven_api.unit_of_work import UnitOfWorkDep

log = structlog.get_logger()
router = APIRouter(prefix="/devices", tags=["devices"])


@router.post(
    "",
    status_code=201,
    summary="Add a device to the inventory",
    description="422 with `management_networks` when its address is outside them, and with "
    "`platforms` (the supported ones, GET /api/platforms) when no driver has its device_type.",
    responses=error_responses(403, 409),
)
async def create_device(
    data: DeviceCreate,
    session: SessionDep,
    catalog: DriverCatalogDep,
    _: Operator,
    trail: AuditTrailDep,
) -> DeviceOut:
    device = await service.create_device(session, data, catalog)
    out = await service.device_detail(session, device)
    trail.record("device.create", "device", device.id, changes=summarize(data))
    return out


@router.get("", summary="List devices: filter, sort, page")
async def list_devices(
    session: SessionDep,
    settings: SettingsDep,
    _: Viewer,
    q: Annotated[str | None, Query(max_length=255, description="Hostname or IP substring")] = None,
    device_type: Annotated[str | None, Query(max_length=50)] = None,
    tag: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[
        BackupStatus | None, Query(description="Outcome of the last finished backup")
    ] = None,
    reachability: Annotated[
        ReachabilityStatus | None, Query(description="Outcome of the last reachability check")
    ] = None,
    host_key_status: Annotated[
        HostKeyStatus | None,
        Query(description="Whether a host key is pinned, changed or untrusted"),
    ] = None,
    compliance: Annotated[
        EvaluationStatus | None, Query(description="Status of the newest compliance evaluation")
    ] = None,
    model: Annotated[
        str | None, Query(max_length=100, description="Model substring, any case")
    ] = None,
    os_version: Annotated[
        str | None, Query(max_length=100, description="OS version substring, any case")
    ] = None,
    serial_number: Annotated[
        str | None, Query(max_length=100, description="Serial number substring, any case")
    ] = None,
    orphaned: Annotated[
        bool | None, Query(description="Only devices gone from their inventory source (or not)")
    ] = None,
    source_id: Annotated[UUID | None, Query(description="Only devices from this source")] = None,
    stale: Annotated[
        bool | None,
        Query(description="Only devices whose last good backup is older than their threshold"),
    ] = None,
    site: Annotated[
        str | None,
        Query(
            max_length=31, description="Only the devices of this site (by name); `central`: none"
        ),
    ] = None,
    sort: DeviceSort = DeviceSort.HOSTNAME,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> DevicePage:
    where = DeviceFilter(
        q=q,
        device_type=device_type,
        tag=tag,
        status=status,
        reachability=reachability,
        host_key_status=host_key_status,
        compliance=compliance,
        model=model,
        os_version=os_version,
        serial_number=serial_number,
        orphaned=orphaned,
        source_id=source_id,
        stale=stale,
        stale_after_hours=settings.stale_after_hours,
        site=site,
        sort=sort,
    )
    items, total = await service.list_device_page(session, where, limit, offset)
    return DevicePage(items=items, total=total)


@router.get("/{device_id}", summary="One device", responses=error_responses(404))
async def get_device(device_id: UUID, session: SessionDep, _: Viewer) -> DeviceOut:
    return await service.device_detail(session, await service.get_device(session, device_id))


@router.patch(
    "/{device_id}",
    summary="Change a device (only the fields sent)",
    description="A new address or port keeps the pinned host key. 422 with `management_networks` "
    "when a new address is outside them, and with `platforms` when no driver has a new "
    "device_type.",
    responses=error_responses(403, 404, 409),
)
async def update_device(
    device_id: UUID,
    data: DeviceUpdate,
    session: SessionDep,
    catalog: DriverCatalogDep,
    _: Operator,
    trail: AuditTrailDep,
) -> DeviceOut:
    before = await service.device_detail(session, await service.get_device(session, device_id))
    device = await service.update_device(session, device_id, data, catalog)
    out = await service.device_detail(session, device)
    trail.record("device.update", "device", device_id, changes=summarize(data, before, out))
    return out


@router.delete(
    "/{device_id}",
    status_code=204,
    summary="Remove a device (its run results go with it)",
    responses=error_responses(403, 404),
)
async def delete_device(
    device_id: UUID, session: SessionDep, user: Operator, trail: AuditTrailDep
) -> Response:
    hostname = (await service.get_device(session, device_id)).hostname
    await service.delete_device(session, device_id)
    trail.record("device.delete", "device", device_id, changes={"hostname": hostname})
    log.info("device.deleted", device_id=str(device_id), by=user.username)
    return Response(status_code=204)


@router.post(
    "/{device_id}/backup",
    status_code=202,
    summary="Back up this one device now (an ad-hoc run, no job)",
    responses=error_responses(403, 404),
)
async def back_up_device(
    device_id: UUID,
    work: UnitOfWorkDep,
    relay: OutboxRelayDep,
    user: Operator,
    trail: AuditTrailDep,
) -> RunAccepted:
    run = await service.run_device_now(work.session, device_id, "backup")
    trail.record("device.backup", "device", device_id, changes={"run_id": str(run.id)})
    work.after_commit(relay.wake)
    log.info(
        "device.backup_requested", device_id=str(device_id), run_id=str(run.id), by=user.username
    )
    return RunAccepted(run_id=run.id)


@router.post(
    "/{device_id}/reachability",
    status_code=202,
    summary=(
        "Check now that this device's SSH port answers (an ad-hoc run: TCP connect and latency, "
        "no login)"
    ),
    description="422 with `management_networks` when the device's address is outside them.",
    responses=error_responses(403, 404),
)
async def check_device_reachability(
    device_id: UUID,
    work: UnitOfWorkDep,
    relay: OutboxRelayDep,
    user: Operator,
    trail: AuditTrailDep,
) -> RunAccepted:
    run = await service.run_device_now(work.session, device_id, "reachability")
    trail.record("device.check_reachability", "device", device_id, changes={"run_id": str(run.id)})
    work.after_commit(relay.wake)
    log.info(
        "device.reachability_requested",
        device_id=str(device_id),
        run_id=str(run.id),
        by=user.username,
    )
    return RunAccepted(run_id=run.id)


@router.delete(
    "/{device_id}/bound-credential",
    status_code=204,
    summary=(
        "Unbind the device's credential (admin): "
        "the next session tries every credential of its tags again"
    ),
    responses=error_responses(403, 404),
)
async def unbind_credential(
    device_id: UUID,
    work: UnitOfWorkDep,
    broker: BrokerDep,
    user: Admin,
    trail: AuditTrailDep,
) -> Response:
    device, previous = await service.unbind_credential(work.session, device_id)
    trail.record(
        "credential.unbound",
        "device",
        device_id,
        changes={"credential": {"old": previous, "new": None}},
    )
    if previous is not None:
        message = f"{user.username} unbound credential {previous} from {device.hostname}"
        work.after_commit(
            partial(
                audit,
                broker,
                "credential.unbound",
                message,
                by=user.username,
                device_id=device.id,
                credential=previous,
            )
        )
    return Response(status_code=204)
