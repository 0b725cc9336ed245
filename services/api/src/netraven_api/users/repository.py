"""The queries on users."""

from uuid import UUID

from netraven_shared.db.models import AuthSource, Role, User
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def list_users(session: AsyncSession) -> list[User]:
    return list(await session.scalars(select(User).order_by(User.username)))


async def user_named(session: AsyncSession, username: str) -> User | None:
    return await session.scalar(select(User).where(User.username == username))


async def name_taken(session: AsyncSession, username: str) -> bool:
    return await session.scalar(select(User.id).where(User.username == username)) is not None


async def get_user(
    session: AsyncSession, user_id: UUID, *, for_update: bool = False
) -> User | None:
    return await session.get(User, user_id, with_for_update=for_update)


async def directory_user(
    session: AsyncSession, source: AuthSource, external_id: str
) -> User | None:
    """The account a directory vouches for, locked: two sign-ins of one person update it in turn."""
    return await session.scalar(
        select(User)
        .where(User.auth_source == source, User.external_id == external_id)
        .with_for_update()
    )


async def any_admin(session: AsyncSession) -> bool:
    return await session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)) is not None


async def active_admins(session: AsyncSession) -> int:
    statement = (
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.is_active)
    )
    return await session.scalar(statement) or 0
