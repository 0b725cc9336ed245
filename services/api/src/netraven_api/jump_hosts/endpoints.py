from uuid import UUID

from fastapi import APIRouter, Response

from netraven_api.audit.changes import summarize
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.deps import Admin, SessionDep, Viewer
from netraven_api.errors import error_responses
from netraven_api.jump_hosts import service
from netraven_api.jump_hosts.schemas import JumpHostCreate, JumpHostOut, JumpHostUpdate

router = APIRouter(prefix="/jump-hosts", tags=["jump hosts"], responses=error_responses(403))


@router.get("", summary="List the SSH jump hosts (bastions) and what uses each")
async def list_jump_hosts(session: SessionDep, _: Viewer) -> list[JumpHostOut]:
    return await service.list_jump_hosts(session)


@router.post(
    "",
    status_code=201,
    summary="Add a jump host (admin), its host key pinned from a known_hosts line",
    responses=error_responses(409),
)
async def create_jump_host(
    data: JumpHostCreate, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> JumpHostOut:
    jump_host = await service.create_jump_host(session, data)
    out = await service.jump_host_out(session, jump_host)
    trail.record("jump_host.create", "jump_host", jump_host.id, changes=summarize(data))
    return out


@router.get("/{jump_host_id}", summary="Get one jump host", responses=error_responses(404))
async def get_jump_host(jump_host_id: UUID, session: SessionDep, _: Viewer) -> JumpHostOut:
    return await service.jump_host_out(session, await service.get_jump_host(session, jump_host_id))


@router.patch(
    "/{jump_host_id}",
    summary="Change a jump host (admin; only the fields sent)",
    responses=error_responses(404, 409),
)
async def update_jump_host(
    jump_host_id: UUID,
    data: JumpHostUpdate,
    session: SessionDep,
    _: Admin,
    trail: AuditTrailDep,
) -> JumpHostOut:
    before = await service.jump_host_out(
        session, await service.get_jump_host(session, jump_host_id)
    )
    jump_host = await service.update_jump_host(session, jump_host_id, data)
    out = await service.jump_host_out(session, jump_host)
    trail.record(
        "jump_host.update", "jump_host", jump_host_id, changes=summarize(data, before, out)
    )
    return out


@router.delete(
    "/{jump_host_id}",
    status_code=204,
    summary="Delete a jump host (admin; 409 while a device or tag uses it)",
    responses=error_responses(404, 409),
)
async def delete_jump_host(
    jump_host_id: UUID, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> Response:
    name = await service.delete_jump_host(session, jump_host_id)
    trail.record("jump_host.delete", "jump_host", jump_host_id, changes={"name": name})
    return Response(status_code=204)
