from uuid import UUID

from fastapi import APIRouter, Response

from netraven_api.audit.changes import summarize
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.deps import Operator, SessionDep, Viewer
from netraven_api.errors import error_responses
from netraven_api.tags import service
from netraven_api.tags.schemas import TagCreate, TagOut, TagUpdate

router = APIRouter(prefix="/tags", tags=["tags"])


@router.get("", summary="List tags with how many devices and credentials carry each")
async def list_tags(session: SessionDep, _: Viewer) -> list[TagOut]:
    return await service.list_tags(session)


@router.post("", status_code=201, summary="Create a tag", responses=error_responses(403, 409))
async def create_tag(
    data: TagCreate, session: SessionDep, _: Operator, trail: AuditTrailDep
) -> TagOut:
    tag = await service.create_tag(session, data)
    out = await service.tag_out(session, tag)
    trail.record("tag.create", "tag", tag.id, changes=summarize(data))
    return out


@router.patch(
    "/{tag_id}",
    summary="Rename a tag or set its jump host (409 when the name is taken, or renaming `default`)",
    responses=error_responses(403, 404, 409),
)
async def update_tag(
    tag_id: UUID, data: TagUpdate, session: SessionDep, _: Operator, trail: AuditTrailDep
) -> TagOut:
    before = await service.tag_out(session, await service.get_tag(session, tag_id))
    tag = await service.update_tag(session, tag_id, data)
    out = await service.tag_out(session, tag)
    trail.record("tag.update", "tag", tag_id, changes=summarize(data, before, out))
    return out


@router.delete(
    "/{tag_id}",
    status_code=204,
    summary="Delete a tag; what it leaves untagged gets `default` (409 for `default`)",
    responses=error_responses(403, 404, 409),
)
async def delete_tag(
    tag_id: UUID, session: SessionDep, _: Operator, trail: AuditTrailDep
) -> Response:
    name = (await service.get_tag(session, tag_id)).name
    await service.delete_tag(session, tag_id)
    trail.record("tag.delete", "tag", tag_id, changes={"name": name})
    return Response(status_code=204)
