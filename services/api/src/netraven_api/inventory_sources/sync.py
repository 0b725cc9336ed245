"""Sync a source into the inventory: read it, plan (planner.py), and, unless it is a dry run, apply
the plan in the caller's transaction and record the outcome on the source.

Adopted devices get the source's id and their id there; a device gone from the source is marked
orphaned (never deleted: its history stays) and left out of backup runs; one that returns is taken
back. A failed read changes nothing but the source's `last_error` (`record_failure`).
"""

from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Device, InventorySource
from netraven_shared.drivers.catalog import DriverCatalog
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.inventory_sources import repository
from netraven_api.inventory_sources.planner import Plan, device_tags_after, plan_sync
from netraven_api.inventory_sources.reader import Connection, SourceDevice, read_devices
from netraven_api.inventory_sources.schemas import (
    AdoptedDevice,
    OrphanedDevice,
    SkippedDevice,
    SourceFilters,
    SyncCounts,
    SyncReport,
    UpdatedDevice,
)
from netraven_api.management_networks.service import management_networks
from netraven_api.platforms.service import platform_names
from netraven_api.tags.repository import tags_named


def connection(source: InventorySource, cipher: CredentialCipher) -> Connection:
    token = cipher.decrypt(
        source.token_encrypted, key_id=source.key_id, credential=f"inventory source {source.name}"
    )
    return Connection(
        name=source.name,
        kind=source.kind,
        url=source.url,
        token=token,
        verify_tls=source.verify_tls,
        filters=SourceFilters.model_validate(source.filters).model_dump(),
    )


async def _plan_for(
    session: AsyncSession,
    source: InventorySource,
    found: list[SourceDevice],
    catalog: DriverCatalog,
    *,
    lock: bool,
) -> Plan:
    """The plan; with `lock`, the source's devices stay locked until the caller's transaction
    ends."""
    names = sorted({item.name for item in found if item.name})
    networks = await management_networks(session)
    return plan_sync(
        source,
        found,
        await repository.devices_of(session, source.id, for_update=lock),
        await repository.devices_named(session, names),
        set(platform_names(catalog)),
        networks.admits,
    )


async def sync_source(
    session: AsyncSession,
    source: InventorySource,
    cipher: CredentialCipher,
    catalog: DriverCatalog,
    *,
    dry_run: bool,
) -> SyncReport:
    """Raises `SourceFailed` (502) when the source cannot be read; nothing is written then.

    The source's row is locked only after the read, so one sync of a source applies at a time and
    no lock is held while the source answers."""
    found = await read_devices(connection(source, cipher))
    if not dry_run:
        await repository.get_source(session, source.id, for_update=True)
    plan = await _plan_for(session, source, found, catalog, lock=not dry_run)
    report = sync_report(source, plan, dry_run=dry_run)
    if not dry_run:
        await _apply(session, source, plan)
        source.last_sync_at = utc_now()
        source.last_summary = report.counts.model_dump()
        source.last_error = None
        await session.flush()
    return report


async def record_failure(session: AsyncSession, source: InventorySource, error: str) -> None:
    source.last_sync_at = utc_now()
    source.last_error = error
    await session.flush()


async def _apply(session: AsyncSession, source: InventorySource, plan: Plan) -> None:
    now = utc_now()
    for device in plan.orphan:
        device.orphaned_at = now
    for change in plan.update:
        device = await session.get_one(Device, change.device_id)
        device.hostname = change.wanted.hostname
        device.ip_address = change.wanted.ip_address
        device.device_type = change.wanted.device_type
        device.orphaned_at = None
        if "tags" in change.fields:
            names = device_tags_after(source, [t.name for t in device.tags], change.wanted.tags)
            device.tags = await tags_named(session, names)
    # Renames first, so a name freed by one device can be taken by another in the same flush.
    await session.flush()
    for wanted in plan.adopt:
        session.add(
            Device(
                hostname=wanted.hostname,
                ip_address=wanted.ip_address,
                device_type=wanted.device_type,
                source_id=source.id,
                external_id=wanted.external_id,
                tags=await tags_named(session, wanted.tags),
            )
        )
    await session.flush()


def sync_report(source: InventorySource, plan: Plan, *, dry_run: bool) -> SyncReport:
    return SyncReport(
        source_id=source.id,
        dry_run=dry_run,
        counts=SyncCounts(
            adopted=len(plan.adopt),
            updated=len(plan.update),
            orphaned=len(plan.orphan),
            skipped=len(plan.skipped),
            unchanged=plan.unchanged,
        ),
        adopt=[
            AdoptedDevice(
                external_id=w.external_id,
                hostname=w.hostname,
                ip_address=w.ip_address,
                device_type=w.device_type,
                tags=w.tags,
            )
            for w in plan.adopt
        ],
        update=[
            UpdatedDevice(device_id=c.device_id, hostname=c.wanted.hostname, changes=c.fields)
            for c in plan.update
        ],
        orphan=[OrphanedDevice(device_id=d.id, hostname=d.hostname) for d in plan.orphan],
        skipped=[
            SkippedDevice(external_id=s.external_id, name=s.name, reason=s.reason)
            for s in plan.skipped
        ],
    )
