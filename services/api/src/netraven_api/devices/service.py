from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Device, Run, RunResult, RunStatus
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.errors import Conflict, NotFound
from netraven_shared.events.jobs import JobKind
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.devices import repository
from netraven_api.devices.schemas import (
    DeviceCreate,
    DeviceFilter,
    DeviceOut,
    DeviceUpdate,
    Reachability,
)
from netraven_api.devices.transport import require_reachable_by
from netraven_api.host_keys.schemas import BoundCredential, HostKeyOut
from netraven_api.jump_hosts.schemas import JumpHostRef
from netraven_api.jump_hosts.service import effective_jump_hosts
from netraven_api.management_networks.service import require_inside
from netraven_api.platforms.service import require_platform
from netraven_api.runs import repository as runs_repository
from netraven_api.runs.launcher import start_device_run
from netraven_api.runs.progress import finish_runs_without_results, refresh_runs
from netraven_api.sites.service import require_site
from netraven_api.tags.repository import tags_named


def device_out(
    device: Device,
    last: RunResult | None,
    credential_names: dict[UUID, str],
    detail: bool,
    jump_host: JumpHostRef | None = None,
) -> DeviceOut:
    """`detail` adds the public keys (pinned and offered) as OpenSSH lines; lists leave them out."""
    bound = device.bound_credential_id
    return DeviceOut(
        id=device.id,
        hostname=device.hostname,
        ip_address=device.ip_address,
        device_type=device.device_type,
        port=device.port,
        timeout_seconds=device.timeout_seconds,
        legacy_ssh=device.legacy_ssh,
        transport=device.transport,
        jump_host_id=device.jump_host_id,
        jump_host=jump_host,
        site_id=device.site_id,
        tags=[tag.name for tag in device.tags],
        reachability=Reachability(
            status=device.reachability_status,
            latency_ms=device.reachability_latency_ms,
            checked_at=device.reachability_checked_at,
            error=device.reachability_error,
        ),
        last_backup_status=last.status if last else None,
        last_backup_at=last.finished_at if last else None,
        host_key=HostKeyOut.of(device, with_public_keys=detail),
        model=device.model,
        serial_number=device.serial_number,
        os_version=device.os_version,
        facts_updated_at=device.facts_updated_at,
        source_id=device.source_id,
        orphaned_at=device.orphaned_at,
        bound_credential=BoundCredential(id=bound, name=credential_names[bound])
        if bound in credential_names
        else None,
    )


async def device_outs(
    session: AsyncSession, devices: list[Device], detail: bool = False
) -> list[DeviceOut]:
    last = await repository.last_results(session, [d.id for d in devices])
    names = await repository.credential_names(
        session, {d.bound_credential_id for d in devices if d.bound_credential_id}
    )
    jump_hosts = await effective_jump_hosts(session, devices)
    return [device_out(d, last.get(d.id), names, detail, jump_hosts.get(d.id)) for d in devices]


async def device_detail(session: AsyncSession, device: Device) -> DeviceOut:
    return (await device_outs(session, [device], detail=True))[0]


async def create_device(
    session: AsyncSession, data: DeviceCreate, catalog: DriverCatalog
) -> Device:
    require_platform(catalog, data.device_type)
    if await repository.hostname_taken(session, data.hostname):
        raise Conflict(f"a device named '{data.hostname}' already exists")
    await require_inside(session, str(data.ip_address))
    await require_site(session, data.site_id)
    await require_reachable_by(
        session, catalog, data.device_type, data.transport, data.jump_host_id
    )
    device = Device(
        hostname=data.hostname,
        ip_address=str(data.ip_address),
        device_type=data.device_type,
        port=data.port,
        timeout_seconds=data.timeout_seconds,
        legacy_ssh=data.legacy_ssh,
        transport=data.transport,
        jump_host_id=data.jump_host_id,
        site_id=data.site_id,
        tags=await tags_named(session, data.tags),
    )
    session.add(device)
    await session.flush()
    return device


async def get_device(session: AsyncSession, device_id: UUID, for_update: bool = False) -> Device:
    device = await repository.get_device(session, device_id, for_update=for_update)
    if device is None:
        raise NotFound(f"no device with id {device_id}")
    return device


async def update_device(
    session: AsyncSession, device_id: UUID, data: DeviceUpdate, catalog: DriverCatalog
) -> Device:
    """A new address or port keeps the pinned host key: the device is the same box. Only a new
    device_type must have a driver: a device whose local driver file was removed stays editable."""
    device = await get_device(session, device_id)
    if data.device_type is not None and data.device_type != device.device_type:
        require_platform(catalog, data.device_type)
    if data.hostname is not None and data.hostname != device.hostname:
        if await repository.hostname_taken(session, data.hostname, except_id=device.id):
            raise Conflict(f"a device named '{data.hostname}' already exists")
        device.hostname = data.hostname
    if data.ip_address is not None:
        await require_inside(session, str(data.ip_address))
        device.ip_address = str(data.ip_address)
    if data.device_type is not None:
        device.device_type = data.device_type
    if data.port is not None:
        device.port = data.port
    if "timeout_seconds" in data.model_fields_set:
        device.timeout_seconds = data.timeout_seconds
    if data.legacy_ssh is not None:
        device.legacy_ssh = data.legacy_ssh
    if data.transport is not None:
        device.transport = data.transport
    if "jump_host_id" in data.model_fields_set:
        device.jump_host_id = data.jump_host_id
    if "site_id" in data.model_fields_set:
        await require_site(session, data.site_id)
        device.site_id = data.site_id
    if {"device_type", "transport", "jump_host_id"} & data.model_fields_set:
        await require_reachable_by(
            session, catalog, device.device_type, device.transport, device.jump_host_id
        )
    if data.tags is not None:
        device.tags = await tags_named(session, data.tags)
    await session.flush()
    return device


async def delete_device(session: AsyncSession, device_id: UUID) -> None:
    """Delete the device; its results go with it, and each run that held one is refreshed: a run
    waiting only on this device finishes, and an open run left with no device is cancelled."""
    run_ids = await runs_repository.lock_runs_of_device(session, device_id)
    if not await repository.delete_device(session, device_id):
        raise NotFound(f"no device with id {device_id}")
    now = utc_now()
    await refresh_runs(session, run_ids, now)
    await finish_runs_without_results(session, run_ids, now, RunStatus.CANCELLED)


async def unbind_credential(session: AsyncSession, device_id: UUID) -> tuple[Device, str | None]:
    """The device, and the name of the credential it was bound to (None when none was)."""
    device = await get_device(session, device_id, for_update=True)
    bound = device.bound_credential_id
    previous = (await repository.credential_names(session, {bound})).get(bound) if bound else None
    device.bound_credential_id = None
    await session.flush()
    return device, previous


async def list_device_page(
    session: AsyncSession, where: DeviceFilter, limit: int, offset: int
) -> tuple[list[DeviceOut], int]:
    devices, total = await repository.list_devices(session, where, limit, offset)
    return await device_outs(session, devices), total


async def run_device_now(session: AsyncSession, device_id: UUID, kind: JobKind) -> Run:
    """An ad-hoc run of one device, with no job, and its dispatch, flushed in the caller's
    transaction. A reachability check is refused for an address outside the management networks."""
    device = await get_device(session, device_id)
    if kind == "reachability":
        await require_inside(session, device.ip_address)
    return await start_device_run(session, device, kind, "manual")
