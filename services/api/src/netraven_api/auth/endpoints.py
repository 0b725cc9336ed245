from datetime import UTC, datetime, timedelta
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlalchemy import select

from netraven_api.auth.password_pool import spend_verification_time, verify_password
from netraven_api.auth.security import issue_token
from netraven_api.auth.sessions import end_all_sessions
from netraven_api.auth.throttle import LoginThrottle
from netraven_api.deps import CurrentClaims, CurrentUser, SessionDep, SettingsDep
from netraven_api.errors import error_responses
from netraven_shared.db.models import User
from netraven_shared.errors import NotAuthenticated

router = APIRouter(prefix="/auth", tags=["auth"])
log = structlog.get_logger()


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post(
    "/token",
    summary="Log in with username and password (OAuth2 password form)",
    description="After repeated failures, further attempts from that address (or, much later, for that username) "
    "must wait, doubling up to a cap: 429 with Retry-After.",
    responses=error_responses(401, 429),
)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, settings: SettingsDep, request: Request
) -> Token:
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    await throttle.check(form.username, address)
    user = await session.scalar(select(User).where(User.username == form.username))
    await session.commit()  # give the connection back before hashing: a login flood must not drain the pool
    if user is None:
        await spend_verification_time(form.password)
    if user is None or not user.is_active or not await verify_password(form.password, user.password_hash):
        await throttle.record_failure(form.username, address)
        log.warning("auth.login_failed", username=form.username, address=address)
        raise NotAuthenticated("invalid username or password")
    await throttle.clear(form.username, address)
    lifetime = timedelta(minutes=settings.token_minutes)
    return Token(access_token=issue_token(user, settings.jwt_secret, lifetime, auth_time=datetime.now(UTC)))


@router.post(
    "/refresh",
    summary="Trade a valid access token for a new one with a fresh expiry",
    description="Needs an unexpired bearer access token of an active account; stream tokens cannot be refreshed. "
    "The new token carries the account's current role; the old one stays valid until it expires. "
    "Refused once the sign-in is older than NETRAVEN_SESSION_MAX_HOURS.",
    responses=error_responses(401),
)
async def refresh(user: CurrentUser, claims: CurrentClaims, settings: SettingsDep) -> Token:
    if datetime.now(UTC) - claims.auth_time > timedelta(hours=settings.session_max_hours):
        raise NotAuthenticated("signed in too long ago: sign in again")
    lifetime = timedelta(minutes=settings.token_minutes)
    return Token(access_token=issue_token(user, settings.jwt_secret, lifetime, auth_time=claims.auth_time))


@router.post(
    "/sign-out-everywhere",
    status_code=204,
    summary="End every session of the caller: all their tokens, this one included, stop working",
    responses=error_responses(401),
)
async def sign_out_everywhere(user: CurrentUser, session: SessionDep) -> None:
    end_all_sessions(user)
    await session.commit()
