from uuid import UUID

from netraven_shared.db.models import DEFAULT_TAG, Tag
from netraven_shared.errors import Conflict, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.compliance import repository as compliance_rules
from netraven_api.config_filters import repository as config_filters
from netraven_api.jump_hosts.service import require_jump_host
from netraven_api.tags import repository
from netraven_api.tags.schemas import TagCreate, TagOut, TagUpdate


async def tag_out(session: AsyncSession, tag: Tag) -> TagOut:
    devices, credentials = await repository.counts_of(session, tag.id)
    return TagOut(
        id=tag.id,
        name=tag.name,
        device_count=devices,
        credential_count=credentials,
        jump_host_id=tag.jump_host_id,
        stale_after_hours=tag.stale_after_hours,
    )


async def list_tags(session: AsyncSession) -> list[TagOut]:
    return [
        TagOut(
            id=tag.id,
            name=tag.name,
            device_count=devices,
            credential_count=credentials,
            jump_host_id=tag.jump_host_id,
            stale_after_hours=tag.stale_after_hours,
        )
        for tag, devices, credentials in await repository.list_with_counts(session)
    ]


async def _refuse_taken(session: AsyncSession, name: str) -> None:
    if await repository.name_taken(session, name):
        raise Conflict(f"a tag named '{name}' already exists")


async def get_tag(session: AsyncSession, tag_id: UUID) -> Tag:
    tag = await repository.get_tag(session, tag_id)
    if tag is None:
        raise NotFound(f"no tag with id {tag_id}")
    return tag


async def create_tag(session: AsyncSession, data: TagCreate) -> Tag:
    await _refuse_taken(session, data.name)
    if data.jump_host_id is not None:
        await require_jump_host(session, data.jump_host_id)
    tag = Tag(
        name=data.name,
        jump_host_id=data.jump_host_id,
        stale_after_hours=data.stale_after_hours,
    )
    session.add(tag)
    await session.flush()
    return tag


async def update_tag(session: AsyncSession, tag_id: UUID, data: TagUpdate) -> Tag:
    tag = await get_tag(session, tag_id)
    if "jump_host_id" in data.model_fields_set:
        if data.jump_host_id is not None:
            await require_jump_host(session, data.jump_host_id)
        tag.jump_host_id = data.jump_host_id
        await session.flush()
    if "stale_after_hours" in data.model_fields_set:
        tag.stale_after_hours = data.stale_after_hours
        await session.flush()
    if data.name is not None:
        await _rename(session, tag, data.name)
    return tag


async def _rename(session: AsyncSession, tag: Tag, name: str) -> None:
    if tag.name == name:
        return
    if tag.name == DEFAULT_TAG:
        raise Conflict(
            f"the '{DEFAULT_TAG}' tag cannot be renamed: untagged devices and credentials get it"
        )
    await _refuse_taken(session, name)
    tag.name = name
    await session.flush()


async def delete_tag(session: AsyncSession, tag_id: UUID) -> None:
    tag = await get_tag(session, tag_id)
    if tag.name == DEFAULT_TAG:
        raise Conflict(
            f"the '{DEFAULT_TAG}' tag cannot be deleted: untagged devices and credentials get it"
        )
    if filters := await config_filters.names_scoped_by_tag(session, tag_id):
        raise Conflict(
            f"the tag '{tag.name}' scopes the config filters {', '.join(filters)}: "
            "delete them or give them another scope first (their redactions would stop)"
        )
    if rules := await compliance_rules.rule_names_scoped_by_tag(session, tag_id):
        raise Conflict(
            f"the tag '{tag.name}' scopes the compliance rules {', '.join(rules)}: "
            "change their scope first (without it they would apply to more devices)"
        )
    await repository.delete_tag(session, tag)
