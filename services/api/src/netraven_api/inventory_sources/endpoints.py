from uuid import UUID

from fastapi import APIRouter, Request, Response
from netraven_shared.crypto import credential_cipher

from netraven_api.audit.changes import summarize
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.deps import Admin, DriverCatalogDep, SessionDep, SettingsDep
from netraven_api.errors import error_responses
from netraven_api.inventory_sources import service
from netraven_api.inventory_sources.reader import SourceFailed
from netraven_api.inventory_sources.schemas import (
    InventorySourceCreate,
    InventorySourceOut,
    InventorySourceUpdate,
    SyncReport,
)
from netraven_api.inventory_sources.sync import record_failure, sync_source
from netraven_api.unit_of_work import unit_of_work

router = APIRouter(
    prefix="/inventory-sources", tags=["inventory sources"], responses=error_responses(403)
)


@router.get("", summary="List the NetBox and Nautobot inventory sources (admin)")
async def list_sources(session: SessionDep, _: Admin) -> list[InventorySourceOut]:
    return await service.list_sources(session)


@router.post(
    "",
    status_code=201,
    summary="Add an inventory source (admin; its token stored encrypted, never returned)",
    responses=error_responses(409),
)
async def create_source(
    data: InventorySourceCreate,
    session: SessionDep,
    settings: SettingsDep,
    catalog: DriverCatalogDep,
    _: Admin,
    trail: AuditTrailDep,
) -> InventorySourceOut:
    source = await service.create_source(session, data, credential_cipher(settings), catalog)
    trail.record("inventory_source.create", "inventory_source", source.id, changes=summarize(data))
    return await service.one_source_out(session, source)


@router.get(
    "/{source_id}", summary="Get one inventory source (admin)", responses=error_responses(404)
)
async def get_source(source_id: UUID, session: SessionDep, _: Admin) -> InventorySourceOut:
    return await service.one_source_out(session, await service.get_source(session, source_id))


@router.patch(
    "/{source_id}",
    summary="Change an inventory source (admin; only the fields sent)",
    responses=error_responses(404, 409),
)
async def update_source(
    source_id: UUID,
    data: InventorySourceUpdate,
    session: SessionDep,
    settings: SettingsDep,
    catalog: DriverCatalogDep,
    _: Admin,
    trail: AuditTrailDep,
) -> InventorySourceOut:
    before = await service.one_source_out(session, await service.get_source(session, source_id))
    source = await service.update_source(
        session, source_id, data, credential_cipher(settings), catalog
    )
    out = await service.one_source_out(session, source)
    trail.record(
        "inventory_source.update",
        "inventory_source",
        source_id,
        changes=summarize(data, before, out),
    )
    return out


@router.delete(
    "/{source_id}",
    status_code=204,
    summary="Delete an inventory source (admin); its devices stay, as devices added by hand",
    responses=error_responses(404),
)
async def delete_source(
    source_id: UUID, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> Response:
    name = await service.delete_source(session, source_id)
    trail.record("inventory_source.delete", "inventory_source", source_id, changes={"name": name})
    return Response(status_code=204)


@router.post(
    "/{source_id}/preview",
    summary="What a sync would do (admin): adopt, update with field diffs, orphan, skip; "
    "writes nothing",
    responses=error_responses(404, 502),
)
async def preview_sync(
    source_id: UUID,
    session: SessionDep,
    settings: SettingsDep,
    catalog: DriverCatalogDep,
    _: Admin,
) -> SyncReport:
    source = await service.get_source(session, source_id)
    return await sync_source(session, source, credential_cipher(settings), catalog, dry_run=True)


@router.post(
    "/{source_id}/sync",
    summary="Sync the source into the inventory now (admin); 502 naming the source when it "
    "cannot be read",
    responses=error_responses(404, 502),
)
async def sync_now(
    source_id: UUID,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    catalog: DriverCatalogDep,
    _: Admin,
    trail: AuditTrailDep,
) -> SyncReport:
    source = await service.get_source(session, source_id)
    try:
        report = await sync_source(
            session, source, credential_cipher(settings), catalog, dry_run=False
        )
    except SourceFailed as error:
        # The request rolls back; the failure is kept on the source in a transaction of its own.
        async with unit_of_work(request.app.state.sessions) as work:
            failed = await service.get_source(work.session, source_id, for_update=True)
            await record_failure(work.session, failed, error.message)
        raise
    trail.record(
        "inventory_source.sync",
        "inventory_source",
        source_id,
        changes=report.counts.model_dump(),
    )
    return report
