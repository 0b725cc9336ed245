from datetime import UTC, datetime, timedelta
from typing import Annotated

import structlog
from fastapi import APIRouter, Cookie, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from netraven_shared.db.models import AuthSource, User
from netraven_shared.errors import Forbidden, NotAuthenticated
from pydantic import BaseModel

from netraven_api.api_tokens.service import revoke_all_tokens
from netraven_api.audit.sign_ins import AuditedSignIn
from netraven_api.audit.trail import SignedInAuditTrailDep
from netraven_api.auth.browser_session import (
    REFRESH_COOKIE,
    REFRESH_SCOPE,
    end_browser_session,
    start_browser_session,
)
from netraven_api.auth.ldap.sign_in import LdapSettingsDep, sign_in_with_ldap
from netraven_api.auth.password_pool import spend_verification_time, verify_password
from netraven_api.auth.security import TokenClaims, issue_token, read_token
from netraven_api.auth.sessions import end_all_sessions
from netraven_api.auth.throttle import LoginThrottle
from netraven_api.deps import BearerToken, SessionDep, SettingsDep, SignedInUser, signed_in_user
from netraven_api.errors import error_responses
from netraven_api.unit_of_work import unit_of_work
from netraven_api.users import repository as users_repository

router = APIRouter(prefix="/auth", tags=["auth"])
log = structlog.get_logger()


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    must_change_password: bool = False


def _token_for(user: User, settings: SettingsDep, auth_time: datetime) -> Token:
    lifetime = timedelta(minutes=settings.token_minutes)
    return Token(
        access_token=issue_token(user, settings.jwt_secret, lifetime, auth_time=auth_time),
        must_change_password=user.must_change_password,
    )


@router.post(
    "/token",
    summary="Log in with username and password (OAuth2 password form)",
    description="After repeated failures, further attempts from that address (or, much later, for "
    "that username) must wait, doubling up to a cap: 429 with Retry-After. Also sets the browser's "
    "httpOnly refresh cookie. With `must_change_password`, every other endpoint answers 403 until "
    "POST /api/auth/password. With LDAP configured, a username that is not a local account is "
    "checked against the directory: 409 when a NetRaven account from another source has the name, "
    "503 when the directory cannot be reached. 403 for a local account when "
    "NETRAVEN_LOCAL_LOGIN=false (directory accounts still sign in here).",
    responses=error_responses(401, 403, 409, 429, 503),
)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    response: Response,
    _: AuditedSignIn,
    ldap: LdapSettingsDep,
) -> Token:
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    await throttle.check(form.username, address)
    # Its own short unit of work: the connection must not be held through the hashing below, or a
    # login flood drains the pool.
    async with unit_of_work(request.app.state.sessions) as lookup:
        user = await users_repository.user_named(lookup.session, form.username)
    if ldap.enabled and (user is None or user.auth_source == AuthSource.LDAP):
        request.state.sign_in_method = AuthSource.LDAP.value
        user = await sign_in_with_ldap(session, ldap, form.username, form.password)
    elif not settings.local_login:
        raise Forbidden(
            "local passwords are turned off here (NETRAVEN_LOCAL_LOGIN=false): use single sign-on"
        )
    elif user is None:
        await spend_verification_time(form.password)
    elif (
        not user.is_active
        or not user.password_hash
        or not await verify_password(form.password, user.password_hash)
    ):
        user = None
    if user is None:
        await throttle.record_failure(form.username, address)
        log.warning("auth.login_failed", username=form.username, address=address)
        raise NotAuthenticated("invalid username or password")
    await throttle.clear(form.username, address)
    auth_time = datetime.now(UTC)
    start_browser_session(request, response, user, settings, auth_time)
    return _token_for(user, settings, auth_time)


@router.post(
    "/refresh",
    summary="A new access token, for a valid access token or the browser's refresh cookie",
    description="Send an unexpired bearer access token of an active account, or no header and the "
    "httpOnly refresh cookie that sign-in set. The new token carries the account's current role; "
    "an old one stays valid until it expires. Refused once the sign-in is older than "
    "NETRAVEN_SESSION_MAX_HOURS.",
    responses=error_responses(401, 422),
)
async def refresh(
    session: SessionDep,
    settings: SettingsDep,
    bearer: BearerToken,
    refresh_cookie: Annotated[
        str | None, Cookie(alias=REFRESH_COOKIE, include_in_schema=False)
    ] = None,
) -> Token:
    claims = _refreshable_claims(bearer, refresh_cookie, settings)
    if datetime.now(UTC) - claims.auth_time > timedelta(hours=settings.session_max_hours):
        raise NotAuthenticated("signed in too long ago: sign in again")
    user = await signed_in_user(session, claims)
    return _token_for(user, settings, claims.auth_time)


def _refreshable_claims(
    bearer: str | None, refresh_cookie: str | None, settings: SettingsDep
) -> TokenClaims:
    if bearer:
        return read_token(bearer, settings.jwt_secret)
    if refresh_cookie:
        return read_token(refresh_cookie, settings.jwt_secret, scope=REFRESH_SCOPE)
    raise NotAuthenticated("not signed in: POST /api/auth/token first")


@router.post(
    "/sign-out",
    status_code=204,
    summary="Forget this browser's refresh cookie",
    description=(
        "Tokens already issued stay valid until they expire; "
        "POST /api/auth/sign-out-everywhere ends them all."
    ),
)
async def sign_out() -> Response:
    response = Response(status_code=204)
    end_browser_session(response)
    return response


@router.post(
    "/sign-out-everywhere",
    status_code=204,
    summary="End every session of the caller: all their tokens, this one included, stop working",
    description="Revokes the caller's API tokens too: this is the button for a leaked account.",
    responses=error_responses(401),
)
async def sign_out_everywhere(
    user: SignedInUser, session: SessionDep, trail: SignedInAuditTrailDep
) -> Response:
    end_all_sessions(user)
    await revoke_all_tokens(session, user.id)
    trail.record("user.sign_out_everywhere", "user", user.id)
    response = Response(status_code=204)
    end_browser_session(response)
    return response
