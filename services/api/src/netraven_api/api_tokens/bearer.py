"""An API token presented as a bearer: who it speaks for, with which role, and whether it still
may."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

import structlog
from netraven_shared.db.models import ApiToken, User
from netraven_shared.errors import NotAuthenticated
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.api_tokens import repository
from netraven_api.api_tokens.token_secret import hash_of
from netraven_api.auth.roles import lower_role
from netraven_api.auth.security import TokenClaims

# Recording every use would turn each read into a write; once a minute tells owners enough.
LAST_USE_PRECISION = timedelta(minutes=1)
log = structlog.get_logger()


def refuse_if_unusable(token: ApiToken | None, now: datetime) -> ApiToken:
    if token is None:
        raise NotAuthenticated("unknown API token: create one on the Tokens page")
    if token.revoked_at is not None:
        raise NotAuthenticated("this API token was revoked")
    if token.expires_at is not None and token.expires_at <= now:
        raise NotAuthenticated(f"this API token expired at {token.expires_at.isoformat()}")
    return token


async def api_token_claims(session: AsyncSession, secret: str, address: str | None) -> TokenClaims:
    """The claims of a valid token. Its role is capped by its owner's role now, so demoting the
    owner weakens their tokens at once. Flushes the last use: run it in a unit of work of its own,
    so that a request refused afterwards still counts as a use."""
    now = datetime.now(UTC)
    found = await repository.token_with_owner(session, hash_of(secret))
    token = refuse_if_unusable(found[0] if found else None, now)
    assert found is not None  # refused above otherwise
    owner: User = found[1]
    if not owner.is_active:
        raise NotAuthenticated("this API token's owner is disabled")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        token.last_used_at, token.last_used_address = now, address
        await session.flush()
        log.info("api_tokens.used", token_id=str(token.id), owner=owner.username, address=address)
    return TokenClaims(
        owner.id,
        owner.token_version,
        token.created_at,
        token_id=token.id,
        role=lower_role(token.role, owner.role),
    )


async def check_still_usable(session: AsyncSession, token_id: UUID) -> None:
    """For a request or an open stream that already holds the claims: revoked or expired since?"""
    refuse_if_unusable(await repository.get_token(session, token_id), datetime.now(UTC))
