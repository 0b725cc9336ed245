from datetime import UTC, datetime
from uuid import UUID

from netraven_shared.db.models import ApiToken, User
from netraven_shared.errors import Conflict, Forbidden, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.api_tokens import repository
from netraven_api.api_tokens.schemas import ApiTokenCreate, ApiTokenCreated, ApiTokenOut
from netraven_api.api_tokens.token_secret import display_prefix, hash_of, new_secret
from netraven_api.auth.roles import at_least


def token_out(token: ApiToken, owner: User) -> ApiTokenOut:
    return ApiTokenOut(
        id=token.id,
        name=token.name,
        role=token.role,
        prefix=token.prefix,
        owner_id=owner.id,
        owner_username=owner.username,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        last_used_address=token.last_used_address,
        revoked_at=token.revoked_at,
    )


async def create_token(session: AsyncSession, owner: User, data: ApiTokenCreate) -> ApiTokenCreated:
    if not at_least(owner.role, data.role):
        raise Forbidden(
            f"a token's role can be at most your own: you are {owner.role}, not {data.role}"
        )
    if await repository.name_taken(session, owner.id, data.name):
        raise Conflict(
            f"you already have a token named '{data.name}': choose another name or revoke that one"
        )
    secret = new_secret()
    token = ApiToken(
        user_id=owner.id,
        name=data.name,
        role=data.role,
        prefix=display_prefix(secret),
        secret_hash=hash_of(secret),
        expires_at=data.expiry(),
    )
    session.add(token)
    await session.flush()
    return ApiTokenCreated(**token_out(token, owner).model_dump(), secret=secret)


async def list_tokens(session: AsyncSession, owner_id: UUID | None) -> list[ApiTokenOut]:
    """The tokens of one user, or everyone's when `owner_id` is None; the newest first."""
    rows = await repository.tokens_with_owners(session, owner_id)
    return [token_out(token, owner) for token, owner in rows]


async def revoke_token(
    session: AsyncSession, token_id: UUID, caller: User, caller_is_admin: bool
) -> ApiToken:
    """Its owner or an admin may revoke a token; to anyone else it does not exist. Revoking twice
    keeps the first time."""
    token = await repository.get_token(session, token_id, for_update=True)
    if token is None or (token.user_id != caller.id and not caller_is_admin):
        raise NotFound(f"no API token with id {token_id}")
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
    await session.flush()
    return token


async def revoke_all_tokens(session: AsyncSession, owner_id: UUID) -> None:
    """Every token of the user stops working (once the unit of work commits)."""
    await repository.revoke_all(session, owner_id, datetime.now(UTC))
