"""Dependencies every endpoint declares: the session, the settings, the broker, the caller."""

from collections.abc import AsyncIterator, Callable
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from faststream.nats import NatsBroker
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.auth.security import STREAM_SCOPE, user_id_from_token
from netraven_api.config import ApiSettings
from netraven_api.outbox_relay import OutboxRelay
from netraven_shared.db.models import Role, User
from netraven_shared.errors import Forbidden, NotAuthenticated

_bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
_RANK = {Role.VIEWER: 0, Role.OPERATOR: 1, Role.ADMIN: 2}


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; endpoints that write commit once, at the end."""
    async with request.app.state.sessions() as session:
        yield session


def _settings(request: Request) -> ApiSettings:
    return request.app.state.settings


def _broker(request: Request) -> NatsBroker:
    return request.app.state.broker


def _outbox_relay(request: Request) -> OutboxRelay:
    return request.app.state.outbox_relay


SessionDep = Annotated[AsyncSession, Depends(_session)]
SettingsDep = Annotated[ApiSettings, Depends(_settings)]
BrokerDep = Annotated[NatsBroker, Depends(_broker)]
OutboxRelayDep = Annotated[OutboxRelay, Depends(_outbox_relay)]


async def _active_user(session: AsyncSession, user_id: UUID) -> User:
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("this account no longer exists or is disabled")
    return user


async def _current_user(session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(_bearer)]) -> User:
    if not token:
        raise NotAuthenticated("missing bearer token: POST /api/auth/token first")
    return await _active_user(session, user_id_from_token(token, settings.jwt_secret))


async def _stream_user(
    request: Request,
    settings: SettingsDep,
    bearer: Annotated[str | None, Depends(_bearer)],
    token: Annotated[str | None, Query(description="A stream token from POST /api/logs/stream-token")] = None,
) -> User:
    """Browsers' EventSource cannot send headers: a short-lived, stream-only token in the URL
    stands in for the bearer header (never a full access token in a URL). Its own short session:
    a stream must not hold a database connection for as long as it stays open."""
    if bearer:
        user_id = user_id_from_token(bearer, settings.jwt_secret)
    elif token:
        user_id = user_id_from_token(token, settings.jwt_secret, scope=STREAM_SCOPE)
    else:
        raise NotAuthenticated("missing token: send a bearer header or ?token= from POST /api/logs/stream-token")
    async with request.app.state.sessions() as session:
        return await _active_user(session, user_id)


CurrentUser = Annotated[User, Depends(_current_user)]
StreamUser = Annotated[User, Depends(_stream_user)]


def require_role(minimum: Role) -> Callable:
    async def check(user: CurrentUser) -> User:
        if _RANK[Role(user.role)] < _RANK[minimum]:
            raise Forbidden(f"this needs the {minimum} role or higher; you are {user.role}")
        return user

    return check


Viewer = Annotated[User, Depends(require_role(Role.VIEWER))]
Operator = Annotated[User, Depends(require_role(Role.OPERATOR))]
Admin = Annotated[User, Depends(require_role(Role.ADMIN))]
