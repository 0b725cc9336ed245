from uuid import UUID

from fastapi import APIRouter, Response

from netraven_api.audit.changes import summarize
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.deps import Admin, SessionDep, Viewer
from netraven_api.errors import error_responses
from netraven_api.sites import service
from netraven_api.sites.schemas import SiteCreate, SiteOut, SiteUpdate

router = APIRouter(prefix="/sites", tags=["sites"])


@router.get("", summary="List the remote sites, with how many devices each serves")
async def list_sites(session: SessionDep, _: Viewer) -> list[SiteOut]:
    return await service.list_sites(session)


@router.post(
    "",
    status_code=201,
    summary="Register a remote site with the public key it generated (422 for a bad key)",
    responses=error_responses(403, 409, 422),
)
async def create_site(
    data: SiteCreate, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> SiteOut:
    site = await service.create_site(session, data)
    trail.record("site.create", "site", site.id, changes=summarize(data))
    return site


@router.get("/{site_id}", summary="Read a remote site", responses=error_responses(404))
async def read_site(site_id: UUID, session: SessionDep, _: Viewer) -> SiteOut:
    return await service.read_site(session, site_id)


@router.patch(
    "/{site_id}",
    summary="Change a site's description or rotate its public key",
    responses=error_responses(403, 404, 422),
)
async def update_site(
    site_id: UUID, data: SiteUpdate, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> SiteOut:
    before = await service.read_site(session, site_id)
    site = await service.update_site(session, site_id, data)
    trail.record("site.update", "site", site_id, changes=summarize(data, before, site))
    return site


@router.delete(
    "/{site_id}",
    status_code=204,
    summary="Delete a remote site (409 while devices belong to it)",
    responses=error_responses(403, 404, 409),
)
async def delete_site(
    site_id: UUID, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> Response:
    name = await service.delete_site(session, site_id)
    trail.record("site.delete", "site", site_id, changes={"name": name})
    return Response(status_code=204)
