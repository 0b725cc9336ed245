"""Dependencies every endpoint declares: the session, the settings, the broker, the driver catalog,
the caller."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from faststream.nats import NatsBroker
from netraven_shared.db.models import Role, User
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.errors import Forbidden, NotAuthenticated
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.api_tokens.bearer import api_token_claims, check_still_usable
from netraven_api.api_tokens.token_secret import is_api_token
from netraven_api.auth.roles import at_least
from netraven_api.auth.security import STREAM_SCOPE, TokenClaims, read_token
from netraven_api.auth.sessions import SESSION_ENDED, is_current
from netraven_api.config import ApiSettings
from netraven_api.inventory_sources.job_runs import InventorySyncer
from netraven_api.outbox_relay import OutboxRelay
from netraven_api.unit_of_work import UnitOfWorkDep, unit_of_work
from netraven_api.users import repository as users_repository

_bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
PASSWORD_CHANGE_REQUIRED = (
    "choose a new password first: POST /api/auth/password with the current and a new one"
)
API_TOKEN_REFUSED = "an API token cannot do this: sign in with your password"


async def _session(work: UnitOfWorkDep) -> AsyncSession:
    """The request's session: endpoints and services flush, the unit of work commits once."""
    return work.session


def _settings(request: Request) -> ApiSettings:
    return request.app.state.settings


def _broker(request: Request) -> NatsBroker:
    return request.app.state.broker


def _outbox_relay(request: Request) -> OutboxRelay:
    return request.app.state.outbox_relay


def _driver_catalog(request: Request) -> DriverCatalog:
    return request.app.state.driver_catalog


def _inventory_syncer(request: Request) -> InventorySyncer:
    return request.app.state.inventory_syncer


SessionDep = Annotated[AsyncSession, Depends(_session)]
SettingsDep = Annotated[ApiSettings, Depends(_settings)]
BrokerDep = Annotated[NatsBroker, Depends(_broker)]
OutboxRelayDep = Annotated[OutboxRelay, Depends(_outbox_relay)]
DriverCatalogDep = Annotated[DriverCatalog, Depends(_driver_catalog)]
InventorySyncerDep = Annotated[InventorySyncer, Depends(_inventory_syncer)]


BearerToken = Annotated[str | None, Depends(_bearer)]


async def signed_in_user(session: AsyncSession, claims: TokenClaims) -> User:
    """The token's account, if it is still active and the token was not revoked since it was issued.
    An API token outlives password changes (scripts hold it); it has its own revocation."""
    user = await users_repository.get_user(session, claims.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("this account no longer exists or is disabled")
    if claims.token_id is not None:
        await check_still_usable(session, claims.token_id)
    elif not is_current(user, claims.token_version):
        raise NotAuthenticated(SESSION_ENDED)
    return user


def _client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _bearer_claims(request: Request, settings: ApiSettings, bearer: str) -> TokenClaims:
    """A bearer is a JWT from sign-in or an API token (`nrt_...`); both are accepted wherever either
    is. An API token's use is recorded in a unit of work of its own: a request refused later still
    used it."""
    if is_api_token(bearer):
        async with unit_of_work(request.app.state.sessions) as work:
            return await api_token_claims(work.session, bearer, _client_address(request))
    return read_token(bearer, settings.jwt_secret)


async def _current_claims(
    request: Request,
    settings: SettingsDep,
    token: BearerToken,
) -> TokenClaims:
    if not token:
        raise NotAuthenticated("missing bearer token: POST /api/auth/token first")
    return await _bearer_claims(request, settings, token)


CurrentClaims = Annotated[TokenClaims, Depends(_current_claims)]


async def _account(session: SessionDep, claims: CurrentClaims) -> User:
    return await signed_in_user(session, claims)


# Whoever the token names, before any check of what they may do (answers "who am I" for everyone).
CallerAccount = Annotated[User, Depends(_account)]


async def _sign_in_only(claims: CurrentClaims) -> None:
    """For what only the person may do (their password, their sessions, minting credentials): a
    script's token must not be a way to more or longer access than it was given."""
    if claims.token_id is not None:
        raise Forbidden(API_TOKEN_REFUSED, {"reason": "api_token_refused"})


SignInOnly = Annotated[None, Depends(_sign_in_only)]


async def _signed_in(user: CallerAccount, _: SignInOnly) -> User:
    return user


SignedInUser = Annotated[User, Depends(_signed_in)]


async def _current_user(user: CallerAccount) -> User:
    """The caller, who may use the api: a user told to choose a new password may do only that
    first."""
    if user.must_change_password:
        raise Forbidden(PASSWORD_CHANGE_REQUIRED, {"reason": "password_change_required"})
    return user


async def _stream_claims(
    request: Request,
    settings: SettingsDep,
    bearer: BearerToken,
    token: Annotated[
        str | None, Query(description="A stream token from POST /api/logs/stream-token")
    ] = None,
) -> TokenClaims:
    """Browsers' EventSource cannot send headers: a short-lived, stream-only token in the URL
    stands in for the bearer header (never a full access token in a URL). Its own short session:
    a stream must not hold a database connection for as long as it stays open. The claims, not the
    user, come back: the open stream rechecks them."""
    if not bearer and not token:
        raise NotAuthenticated(
            "missing token: send a bearer header or ?token= from POST /api/logs/stream-token"
        )
    async with request.app.state.sessions() as session:
        if bearer:
            claims = await _bearer_claims(request, settings, bearer)
        else:
            assert token is not None  # refused above when neither is sent
            claims = read_token(token, settings.jwt_secret, scope=STREAM_SCOPE)
        await signed_in_user(session, claims)
    return claims


CurrentUser = Annotated[User, Depends(_current_user)]
StreamClaims = Annotated[TokenClaims, Depends(_stream_claims)]


async def _caller_role(user: CurrentUser, claims: CurrentClaims) -> Role:
    """What the caller may do: the user's role, or for an API token the lower of its role and its
    owner's."""
    if claims.token_id is None:
        return Role(user.role)
    if claims.role is None:
        raise NotAuthenticated("this API token names no role")
    return Role(claims.role)


CallerRole = Annotated[Role, Depends(_caller_role)]


def require_role(minimum: Role) -> Callable:
    async def check(user: CurrentUser, role: CallerRole) -> User:
        if not at_least(role, minimum):
            via = " (this API token's role)" if role != user.role else ""
            raise Forbidden(f"this needs the {minimum} role or higher; you are {role}{via}")
        return user

    return check


Viewer = Annotated[User, Depends(require_role(Role.VIEWER))]
Operator = Annotated[User, Depends(require_role(Role.OPERATOR))]
Admin = Annotated[User, Depends(require_role(Role.ADMIN))]
