from uuid import UUID

from netraven_shared.db.models import DEFAULT_TAG, Tag
from netraven_shared.errors import Conflict, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.config_filters import repository as config_filters
from netraven_api.tags import repository
from netraven_api.tags.schemas import TagOut


async def tag_out(session: AsyncSession, tag: Tag) -> TagOut:
    devices, credentials = await repository.counts_of(session, tag.id)
    return TagOut(id=tag.id, name=tag.name, device_count=devices, credential_count=credentials)


async def list_tags(session: AsyncSession) -> list[TagOut]:
    return [
        TagOut(id=tag.id, name=tag.name, device_count=devices, credential_count=credentials)
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


async def create_tag(session: AsyncSession, name: str) -> Tag:
    await _refuse_taken(session, name)
    tag = Tag(name=name)
    session.add(tag)
    await session.flush()
    return tag


async def rename_tag(session: AsyncSession, tag_id: UUID, name: str) -> Tag:
    tag = await get_tag(session, tag_id)
    if tag.name == name:
        return tag
    if tag.name == DEFAULT_TAG:
        raise Conflict(
            f"the '{DEFAULT_TAG}' tag cannot be renamed: untagged devices and credentials get it"
        )
    await _refuse_taken(session, name)
    tag.name = name
    await session.flush()
    return tag


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
    await repository.delete_tag(session, tag)
