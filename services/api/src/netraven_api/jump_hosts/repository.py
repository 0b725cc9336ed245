from uuid import UUID

from netraven_shared.db.models import Credential, Device, JumpHost, Tag, device_tags
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def list_jump_hosts(session: AsyncSession) -> list[JumpHost]:
    return list(await session.scalars(select(JumpHost).order_by(JumpHost.name)))


async def jump_hosts_with_ids(session: AsyncSession, ids: set[UUID]) -> list[JumpHost]:
    if not ids:
        return []
    return list(await session.scalars(select(JumpHost).where(JumpHost.id.in_(ids))))


async def get_jump_host(session: AsyncSession, jump_host_id: UUID) -> JumpHost | None:
    return await session.get(JumpHost, jump_host_id)


async def jump_host_named(session: AsyncSession, name: str) -> JumpHost | None:
    return await session.scalar(select(JumpHost).where(JumpHost.name == name))


async def name_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> bool:
    statement = select(JumpHost.id).where(JumpHost.name == name)
    if except_id is not None:
        statement = statement.where(JumpHost.id != except_id)
    return await session.scalar(statement) is not None


async def jump_hosts_using(session: AsyncSession, credential_id: UUID) -> list[str]:
    return list(
        await session.scalars(
            select(JumpHost.name)
            .where(JumpHost.credential_id == credential_id)
            .order_by(JumpHost.name)
        )
    )


async def credential_names(session: AsyncSession, ids: set[UUID]) -> dict[UUID, str]:
    rows = await session.execute(
        select(Credential.id, Credential.name).where(Credential.id.in_(ids))
    )
    return {row.id: row.name for row in rows}


async def users(session: AsyncSession, ids: list[UUID]) -> dict[UUID, tuple[list[str], list[str]]]:
    """Per jump host: the hostnames of the devices and the names of the tags that name it."""
    devices: dict[UUID, list[str]] = {id_: [] for id_ in ids}
    tags: dict[UUID, list[str]] = {id_: [] for id_ in ids}
    for owner, named, name in ((Device, devices, Device.hostname), (Tag, tags, Tag.name)):
        rows = await session.execute(
            select(owner.jump_host_id, name).where(owner.jump_host_id.in_(ids)).order_by(name)
        )
        for row in rows:
            if row[0] is not None:
                named[row[0]].append(row[1])
    return {id_: (devices[id_], tags[id_]) for id_ in ids}


async def tag_jump_hosts(
    session: AsyncSession, device_ids: list[UUID]
) -> dict[UUID, tuple[str, JumpHost]]:
    """Per device, the jump host its tags name (lowest tag name first), with that tag's name."""
    rows = await session.execute(
        select(device_tags.c.device_id, Tag.name, JumpHost)
        .join(Tag, Tag.id == device_tags.c.tag_id)
        .join(JumpHost, JumpHost.id == Tag.jump_host_id)
        .where(device_tags.c.device_id.in_(device_ids))
        .order_by(device_tags.c.device_id, Tag.name)
    )
    found: dict[UUID, tuple[str, JumpHost]] = {}
    for device_id, tag_name, jump_host in rows:
        found.setdefault(device_id, (tag_name, jump_host))
    return found
