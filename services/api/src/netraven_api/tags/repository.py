from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_shared.db.models import DEFAULT_TAG, Tag


async def tags_named(session: AsyncSession, names: list[str]) -> list[Tag]:
    """The tags with these names, created when missing; no names means the `default` tag."""
    wanted = sorted({name.strip() for name in names if name.strip()}) or [DEFAULT_TAG]
    await session.execute(insert(Tag).values([{"name": n} for n in wanted]).on_conflict_do_nothing())
    return list(await session.scalars(select(Tag).where(Tag.name.in_(wanted)).order_by(Tag.name)))
