"""Inventory sources: create, change, list, delete (admins). The token is encrypted with the
credential key ring and never returned. Deleting a source keeps its devices, with their history:
they become devices added by hand, none of them orphaned."""

from uuid import UUID

from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.models import InventorySource
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.errors import Conflict, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.inventory_sources import repository
from netraven_api.inventory_sources.schemas import (
    InventorySourceCreate,
    InventorySourceOut,
    InventorySourceUpdate,
    SourceFilters,
    SyncCounts,
)
from netraven_api.platforms.service import require_platform


def source_out(source: InventorySource, counts: tuple[int, int]) -> InventorySourceOut:
    return InventorySourceOut(
        id=source.id,
        name=source.name,
        kind=source.kind,
        url=source.url,
        verify_tls=source.verify_tls,
        filters=SourceFilters.model_validate(source.filters),
        platform_map=source.platform_map,
        default_platform=source.default_platform,
        tag_fields=source.tag_fields,
        credential_tag=source.credential_tag,
        devices=counts[0],
        orphaned=counts[1],
        last_sync_at=source.last_sync_at,
        last_summary=SyncCounts.model_validate(source.last_summary)
        if source.last_summary
        else None,
        last_error=source.last_error,
        created_at=source.created_at,
    )


async def list_sources(session: AsyncSession) -> list[InventorySourceOut]:
    counts = await repository.device_counts(session)
    return [
        source_out(source, counts.get(source.id, (0, 0)))
        for source in await repository.list_sources(session)
    ]


async def one_source_out(session: AsyncSession, source: InventorySource) -> InventorySourceOut:
    counts = await repository.device_counts(session)
    return source_out(source, counts.get(source.id, (0, 0)))


async def get_source(
    session: AsyncSession, source_id: UUID, *, for_update: bool = False
) -> InventorySource:
    source = await repository.get_source(session, source_id, for_update=for_update)
    if source is None:
        raise NotFound(f"no inventory source with id {source_id}")
    return source


async def _refuse_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> None:
    if await repository.name_taken(session, name, except_id):
        raise Conflict(f"an inventory source named '{name}' already exists")


def _require_platforms(catalog: DriverCatalog, platforms: list[str | None]) -> None:
    for platform in platforms:
        if platform is not None:
            require_platform(catalog, platform)


async def create_source(
    session: AsyncSession,
    data: InventorySourceCreate,
    cipher: CredentialCipher,
    catalog: DriverCatalog,
) -> InventorySource:
    await _refuse_taken(session, data.name)
    _require_platforms(catalog, [*data.platform_map.values(), data.default_platform])
    source = InventorySource(
        name=data.name,
        kind=data.kind,
        url=str(data.url).rstrip("/"),
        token_encrypted=cipher.encrypt(data.token),
        key_id=cipher.primary_key_id,
        verify_tls=data.verify_tls,
        filters=data.filters.model_dump(),
        platform_map=data.platform_map,
        default_platform=data.default_platform,
        tag_fields=sorted(set(data.tag_fields)),
        credential_tag=data.credential_tag,
    )
    session.add(source)
    await session.flush()
    return source


async def update_source(
    session: AsyncSession,
    source_id: UUID,
    data: InventorySourceUpdate,
    cipher: CredentialCipher,
    catalog: DriverCatalog,
) -> InventorySource:
    source = await get_source(session, source_id, for_update=True)
    given = data.model_fields_set
    if data.name is not None and data.name != source.name:
        await _refuse_taken(session, data.name, source.id)
        source.name = data.name
    if data.url is not None:
        source.url = str(data.url).rstrip("/")
    if data.token is not None:
        source.token_encrypted = cipher.encrypt(data.token)
        source.key_id = cipher.primary_key_id
    if data.verify_tls is not None:
        source.verify_tls = data.verify_tls
    if data.filters is not None:
        source.filters = data.filters.model_dump()
    if data.platform_map is not None:
        _require_platforms(catalog, list(data.platform_map.values()))
        source.platform_map = data.platform_map
    if "default_platform" in given:
        _require_platforms(catalog, [data.default_platform])
        source.default_platform = data.default_platform
    if data.tag_fields is not None:
        source.tag_fields = sorted(set(data.tag_fields))
    if "credential_tag" in given:
        source.credential_tag = data.credential_tag
    await session.flush()
    return source


async def delete_source(session: AsyncSession, source_id: UUID) -> str:
    source = await get_source(session, source_id, for_update=True)
    await repository.release_devices(session, source.id)
    await session.delete(source)
    await session.flush()
    return source.name
