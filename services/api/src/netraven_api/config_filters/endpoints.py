from uuid import UUID

from fastapi import APIRouter, Response

from netraven_api.audit.trail import AuditTrailDep
from netraven_api.config_filters import service
from netraven_api.config_filters.schemas import (
    ConfigFilterDetail,
    ConfigFilterIn,
    ConfigFilterOut,
    PreviewIn,
    PreviewOut,
    RestoreIn,
)
from netraven_api.deps import Admin, BrokerDep, DriverCatalogDep, SessionDep, SettingsDep, Viewer
from netraven_api.errors import error_responses

router = APIRouter(prefix="/config-filters", tags=["config filters"])


def _patterns(out: ConfigFilterOut) -> dict:
    """What the audit entry records of a saved version: its number and its patterns (no secret:
    patterns describe where secrets are, not what they are)."""
    return {
        "name": out.name,
        "platform": out.platform,
        "tag": out.tag,
        "version": out.version,
        "enabled": out.enabled,
        "redactions": [entry.pattern for entry in out.redactions],
        "noise": out.noise,
    }


@router.get("", summary="Every operator filter, by name")
async def list_config_filters(session: SessionDep, _: Viewer) -> list[ConfigFilterOut]:
    return await service.list_filters(session)


@router.post(
    "",
    status_code=201,
    summary="Create a filter (admin): version 1 of its patterns",
    responses=error_responses(403, 409),
)
async def create_config_filter(
    data: ConfigFilterIn,
    session: SessionDep,
    catalog: DriverCatalogDep,
    user: Admin,
    trail: AuditTrailDep,
) -> ConfigFilterDetail:
    created = await service.create(session, catalog, data, user)
    out = await service.describe(session, created)
    trail.record("config_filter.create", "config_filter", created.id, changes=_patterns(out))
    return out


@router.post(
    "/preview",
    summary="Try candidate patterns on a device's stored config (admin); nothing is saved",
    responses=error_responses(403, 404, 503),
)
async def preview_config_filter(
    data: PreviewIn,
    session: SessionDep,
    broker: BrokerDep,
    settings: SettingsDep,
    _: Admin,
    trail: AuditTrailDep,
) -> PreviewOut:
    out = await service.preview(session, broker, data, settings.gitkeeper_timeout_seconds)
    trail.record("config_filter.preview", "device", data.device_id, changes={"commit": out.commit})
    return out


@router.get(
    "/{filter_id}",
    summary="One filter with every saved version, newest first",
    responses=error_responses(404),
)
async def get_config_filter(filter_id: UUID, session: SessionDep, _: Viewer) -> ConfigFilterDetail:
    return await service.describe(session, await service.get_filter(session, filter_id))


@router.put(
    "/{filter_id}",
    summary="Save a filter's new state (admin): a new version",
    responses=error_responses(403, 404, 409),
)
async def update_config_filter(
    filter_id: UUID,
    data: ConfigFilterIn,
    session: SessionDep,
    catalog: DriverCatalogDep,
    user: Admin,
    trail: AuditTrailDep,
) -> ConfigFilterDetail:
    updated = await service.update(session, catalog, filter_id, data, user)
    out = await service.describe(session, updated)
    trail.record("config_filter.update", "config_filter", filter_id, changes=_patterns(out))
    return out


@router.post(
    "/{filter_id}/versions/{version}/restore",
    summary="Save an earlier version's patterns again as the newest version (admin)",
    responses=error_responses(403, 404),
)
async def restore_config_filter(
    filter_id: UUID,
    version: int,
    data: RestoreIn,
    session: SessionDep,
    user: Admin,
    trail: AuditTrailDep,
) -> ConfigFilterDetail:
    restored = await service.restore(session, filter_id, version, user, data.comment)
    out = await service.describe(session, restored)
    changes = _patterns(out) | {"restored_version": version}
    trail.record("config_filter.restore", "config_filter", filter_id, changes=changes)
    return out


@router.delete(
    "/{filter_id}",
    status_code=204,
    summary="Delete a filter and its history (admin)",
    responses=error_responses(403, 404),
)
async def delete_config_filter(
    filter_id: UUID, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> Response:
    name = await service.delete(session, filter_id)
    trail.record("config_filter.delete", "config_filter", filter_id, changes={"name": name})
    return Response(status_code=204)
