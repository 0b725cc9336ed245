"""The queries on API tokens."""

from datetime import datetime
from uuid import UUID

from netraven_shared.db.models import ApiToken, User
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession


async def name_taken(session: AsyncSession, owner_id: UUID, name: str) -> bool:
    statement = select(ApiToken.id).where(ApiToken.user_id == owner_id, ApiToken.name == name)
    return await session.scalar(statement) is not None


async def tokens_with_owners(
    session: AsyncSession, owner_id: UUID | None
) -> list[tuple[ApiToken, User]]:
    """The tokens of one user, or everyone's when `owner_id` is None; the newest first."""
    statement = (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .order_by(ApiToken.created_at.desc())
    )
    if owner_id is not None:
        statement = statement.where(ApiToken.user_id == owner_id)
    return [(row.ApiToken, row.User) for row in await session.execute(statement)]


async def token_with_owner(session: AsyncSession, secret_hash: str) -> tuple[ApiToken, User] | None:
    row = (
        await session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.secret_hash == secret_hash)
        )
    ).one_or_none()
    return (row.ApiToken, row.User) if row else None


async def get_token(
    session: AsyncSession, token_id: UUID, *, for_update: bool = False
) -> ApiToken | None:
    return await session.get(ApiToken, token_id, with_for_update=for_update)


async def revoke_all(session: AsyncSession, owner_id: UUID, at: datetime) -> None:
    await session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == owner_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=at)
    )
