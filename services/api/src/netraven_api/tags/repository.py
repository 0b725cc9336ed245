from uuid import UUID

from netraven_shared.db.models import (
    DEFAULT_TAG,
    Credential,
    Device,
    Tag,
    credential_tags,
    device_tags,
)
from sqlalchemy import delete, func, literal, select
from sqlalchemy import insert as core_insert
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 10_000  # names per statement: asyncpg takes at most 32,767 parameters


async def get_tag(session: AsyncSession, tag_id: UUID) -> Tag | None:
    return await session.get(Tag, tag_id)


async def tags_named(session: AsyncSession, names: list[str]) -> list[Tag]:
    """The tags with these names, created when missing; no names means the `default` tag."""
    wanted = sorted({name.strip() for name in names if name.strip()}) or [DEFAULT_TAG]
    await session.execute(
        insert(Tag).values([{"name": n} for n in wanted]).on_conflict_do_nothing()
    )
    return list(await session.scalars(select(Tag).where(Tag.name.in_(wanted)).order_by(Tag.name)))


async def tag_ids_named(session: AsyncSession, names: set[str]) -> dict[str, UUID]:
    """Name → id for any number of tag names, creating the missing ones (bulk import)."""
    wanted, ids = sorted(names), {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        await session.execute(
            insert(Tag).values([{"name": n} for n in chunk]).on_conflict_do_nothing()
        )
        ids.update(
            {
                name: tag_id
                for name, tag_id in await session.execute(
                    select(Tag.name, Tag.id).where(Tag.name.in_(chunk))
                )
            }
        )
    return ids


async def list_with_counts(session: AsyncSession) -> list[tuple[Tag, int, int]]:
    devices = select(func.count()).where(device_tags.c.tag_id == Tag.id).scalar_subquery()
    credentials = select(func.count()).where(credential_tags.c.tag_id == Tag.id).scalar_subquery()
    rows = await session.execute(select(Tag, devices, credentials).order_by(Tag.name))
    return [tuple(row) for row in rows]


async def counts_of(session: AsyncSession, tag_id: UUID) -> tuple[int, int]:
    devices = await session.scalar(select(func.count()).where(device_tags.c.tag_id == tag_id))
    credentials = await session.scalar(
        select(func.count()).where(credential_tags.c.tag_id == tag_id)
    )
    return devices or 0, credentials or 0


async def name_taken(session: AsyncSession, name: str) -> bool:
    return await session.scalar(select(Tag.id).where(Tag.name == name)) is not None


async def delete_tag(session: AsyncSession, tag: Tag) -> None:
    """Delete the tag; devices and credentials it leaves without any tag fall back to `default`."""
    await session.execute(delete(Tag).where(Tag.id == tag.id))
    (default,) = await tags_named(session, [])
    for owner, links, column in (
        (Device, device_tags, "device_id"),
        (Credential, credential_tags, "credential_id"),
    ):
        untagged = select(owner.id, literal(default.id)).where(
            ~owner.id.in_(select(links.c[column]))
        )
        await session.execute(core_insert(links).from_select([column, "tag_id"], untagged))
