from typing import Any, cast
from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.db.freshness import is_stale
from netraven_shared.db.models import (
    ComplianceEvaluation,
    Credential,
    Device,
    Run,
    RunResult,
    Site,
    Tag,
    device_tags,
)
from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Select,
    Subquery,
    Table,
    delete,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.devices.schemas import BackupStatus, DeviceFilter, DeviceSort
from netraven_api.sites.schemas import CENTRAL

CHUNK = 10_000  # names per IN (...): asyncpg takes at most 32,767 parameters per statement


def _finished_backups(statement: Select) -> Select:
    """Results of backup runs that finished: a reachability check is not a backup."""
    return statement.join(Run, Run.id == RunResult.run_id).where(
        RunResult.finished_at.is_not(None), Run.kind == "backup"
    )


async def last_results(session: AsyncSession, device_ids: list[UUID]) -> dict[UUID, RunResult]:
    rows = await session.scalars(
        _finished_backups(select(RunResult))
        .where(RunResult.device_id.in_(device_ids))
        .order_by(RunResult.device_id, RunResult.finished_at.desc())
        .ext(distinct_on(RunResult.device_id))
    )
    return {row.device_id: row for row in rows}


def _last_finished() -> Subquery:
    """Each device's newest finished result (status, finished_at), as a subquery to join."""
    return (
        _finished_backups(select(RunResult.device_id, RunResult.status, RunResult.finished_at))
        .order_by(RunResult.device_id, RunResult.finished_at.desc())
        .ext(distinct_on(RunResult.device_id))
        .subquery("last_finished")
    )


def _newest_compliance() -> ColumnElement[str]:
    """The status of the device's newest compliance evaluation (correlated to `Device`)."""
    return (
        select(ComplianceEvaluation.status)
        .where(ComplianceEvaluation.device_id == Device.id)
        .order_by(ComplianceEvaluation.evaluated_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def _filtered(where: DeviceFilter) -> Select:
    last = _last_finished()
    statement = select(Device).outerjoin(last, last.c.device_id == Device.id)
    if where.q:
        pattern = f"%{where.q}%"
        statement = statement.where(
            Device.hostname.ilike(pattern) | Device.ip_address.ilike(pattern)
        )
    if where.device_type:
        statement = statement.where(Device.device_type == where.device_type)
    if where.tag:
        statement = statement.where(Device.tags.any(Tag.name == where.tag))
    if where.status is BackupStatus.NEVER:
        statement = statement.where(last.c.device_id.is_(None))
    elif where.status:
        statement = statement.where(last.c.status == where.status.value)
    if where.reachability:
        statement = statement.where(Device.reachability_status == where.reachability.value)
    if where.host_key_status:
        statement = statement.where(Device.host_key_status == where.host_key_status.value)
    if where.orphaned is not None:
        statement = statement.where(
            Device.orphaned_at.is_not(None) if where.orphaned else Device.orphaned_at.is_(None)
        )
    if where.source_id:
        statement = statement.where(Device.source_id == where.source_id)
    if where.stale is not None:
        stale = is_stale(utc_now(), where.stale_after_hours)
        statement = statement.where(stale if where.stale else ~stale)
    if where.site == CENTRAL:
        statement = statement.where(Device.site_id.is_(None))
    elif where.site:
        statement = statement.where(
            Device.site_id.in_(select(Site.id).where(Site.name == where.site))
        )
    if where.compliance:
        statement = statement.where(_newest_compliance() == where.compliance)
    for column, value in (
        (Device.model, where.model),
        (Device.os_version, where.os_version),
        (Device.serial_number, where.serial_number),
    ):
        if value:
            statement = statement.where(column.icontains(value, autoescape=True))
    order: dict[DeviceSort, list[ColumnElement[Any]]] = {
        DeviceSort.HOSTNAME: [Device.hostname.asc()],
        DeviceSort.HOSTNAME_DESC: [Device.hostname.desc()],
        DeviceSort.LAST_BACKUP_AT: [last.c.finished_at.asc().nulls_last()],
        DeviceSort.LAST_BACKUP_AT_DESC: [last.c.finished_at.desc().nulls_last()],
        DeviceSort.DEVICE_TYPE: [Device.device_type.asc()],
    }
    return statement.order_by(*order[where.sort], Device.hostname, Device.id)


async def list_devices(
    session: AsyncSession, where: DeviceFilter, limit: int, offset: int
) -> tuple[list[Device], int]:
    statement = _filtered(where)
    total = await session.scalar(
        select(func.count()).select_from(statement.order_by(None).subquery())
    )
    devices = await session.scalars(statement.limit(limit).offset(offset))
    return list(devices), total or 0


async def credential_names(session: AsyncSession, credential_ids: set[UUID]) -> dict[UUID, str]:
    if not credential_ids:
        return {}
    rows = await session.execute(
        select(Credential.id, Credential.name).where(Credential.id.in_(credential_ids))
    )
    return {row.id: row.name for row in rows}


async def get_device(
    session: AsyncSession,
    device_id: UUID,
    *,
    for_update: bool = False,
) -> Device | None:
    """The device; locked and read afresh `for_update`."""
    return await session.get(
        Device,
        device_id,
        with_for_update=for_update,
        populate_existing=for_update,
    )


async def device_named(session: AsyncSession, hostname: str) -> Device | None:
    return await session.scalar(select(Device).where(Device.hostname == hostname))


async def devices_with_ids(session: AsyncSession, device_ids: list[UUID]) -> list[Device]:
    return list(await session.scalars(select(Device).where(Device.id.in_(device_ids))))


async def hostname_taken(
    session: AsyncSession, hostname: str, except_id: UUID | None = None
) -> bool:
    statement = select(Device.id).where(Device.hostname == hostname)
    if except_id is not None:
        statement = statement.where(Device.id != except_id)
    return await session.scalar(statement) is not None


async def hostnames_taken(session: AsyncSession, hostnames: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(hostnames), CHUNK):
        chunk = hostnames[start : start + CHUNK]
        taken.update(
            await session.scalars(select(Device.hostname).where(Device.hostname.in_(chunk)))
        )
    return taken


async def insert_devices(session: AsyncSession, rows: list[dict], links: list[dict]) -> set[str]:
    """Insert devices (each dict carries its id) and their tag links; the hostnames actually
    created.

    A hostname another request created meanwhile is skipped (ON CONFLICT), not an error for all
    rows.
    """
    if not rows:
        return set()
    devices = cast(
        Table, Device.__table__
    )  # Core, not ORM: one statement compiled once, sent in batches (insertmanyvalues)
    statement = (
        insert(devices)
        .on_conflict_do_nothing(index_elements=["hostname"])
        .returning(devices.c.hostname)
    )
    created = set(await session.scalars(statement, rows))
    ids = {row["id"] for row in rows if row["hostname"] in created}
    kept = [link for link in links if link["device_id"] in ids]
    if kept:
        await session.execute(insert(device_tags), kept)
    return created


async def delete_device(session: AsyncSession, device_id: UUID) -> bool:
    deleted = await session.execute(delete(Device).where(Device.id == device_id))
    return cast(CursorResult[Any], deleted).rowcount > 0
