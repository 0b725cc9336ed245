"""Single sign-on endpoints. The browser navigates to them (no script calls them), so every failure
sends it back to the login page with `?error=<what went wrong>` instead of answering JSON."""

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

import structlog
from fastapi import APIRouter, Cookie, Request
from fastapi.responses import RedirectResponse
from netraven_shared.db.models import AuthSource, User
from netraven_shared.errors import NetRavenError

from netraven_api.audit.trail import Actor, AuditTrail
from netraven_api.auth.browser_session import start_browser_session
from netraven_api.auth.directory_users import sign_in_directory_user
from netraven_api.auth.ldap.sign_in import LdapSettingsDep
from netraven_api.auth.oidc.identity import identity_from_code, oauth_client
from netraven_api.auth.oidc.login_state import (
    LOGIN_STATE_COOKIE,
    LoginState,
    forget_login_state,
    recall_login_state,
    remember_login_state,
)
from netraven_api.auth.oidc.provider import ProviderDirectory
from netraven_api.auth.oidc.refusal import SignInRefused
from netraven_api.auth.oidc.schemas import OidcMethod, SignInMethods
from netraven_api.auth.oidc.settings import OidcSettings
from netraven_api.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/auth", tags=["auth"])
log = structlog.get_logger()
_providers = ProviderDirectory()
_LOGIN_URL = "/api/auth/oidc/login"
SIGN_IN_AUDIT_ACTION = "auth.sign_in"
_REDIRECT: dict[int | str, dict[str, Any]] = {
    303: {
        "description": (
            "To the identity provider, or back to the dashboard (`/login?error=...` on failure)"
        )
    }
}


@router.get(
    "/methods", summary="How users may sign in: the login page asks before it shows its buttons"
)
async def sign_in_methods(settings: SettingsDep, ldap: LdapSettingsDep) -> SignInMethods:
    oidc = (
        OidcMethod(name=settings.oidc.display_name, login_url=_LOGIN_URL)
        if settings.oidc.enabled
        else None
    )
    return SignInMethods(local=settings.local_login or ldap.enabled, oidc=oidc)


@router.get(
    "/oidc/login",
    status_code=303,
    response_class=RedirectResponse,
    responses=_REDIRECT,
    summary="Start single sign-on: sends the browser to the identity provider",
)
async def oidc_login(request: Request, settings: SettingsDep) -> RedirectResponse:
    try:
        oidc = _configured(settings)
        assert oidc.issuer is not None  # enabled means it is set
        provider = await _providers.provider(oidc.issuer)
    except SignInRefused as refusal:
        return _back_to_login(str(refusal))
    login = LoginState.new()
    async with oauth_client(oidc, _callback_url(request, settings)) as client:
        url, _ = client.create_authorization_url(
            provider.authorization_endpoint,
            state=login.state,
            nonce=login.nonce,
            code_verifier=login.code_verifier,
        )
    response = RedirectResponse(url, status_code=303)
    remember_login_state(request, response, login, settings.jwt_secret)
    return response


@router.get(
    "/oidc/callback",
    status_code=303,
    response_class=RedirectResponse,
    responses=_REDIRECT,
    summary=(
        "Where the identity provider sends the browser back: "
        "signs the user in and opens the dashboard"
    ),
)
async def oidc_callback(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
    login_cookie: Annotated[
        str | None, Cookie(alias=LOGIN_STATE_COOKIE, include_in_schema=False)
    ] = None,
) -> RedirectResponse:
    try:
        async with session.begin_nested():  # a refusal leaves nothing but its audit entry
            user = await _signed_in_user(
                request,
                session,
                settings,
                code,
                state,
                error,
                login_cookie,
            )
    except (SignInRefused, NetRavenError) as refusal:
        reason = refusal.message if isinstance(refusal, NetRavenError) else str(refusal)
        log.warning("auth.oidc.refused", reason=reason)
        if settings.oidc.enabled:  # with single sign-on off, a call here is no attempt to sign in
            detail = f"single sign-on: {reason}"
            trail = AuditTrail(session, Actor.of(None, request))
            trail.record(SIGN_IN_AUDIT_ACTION, outcome="failure", detail=detail)
        response = _back_to_login(reason)
    else:
        response = RedirectResponse("/", status_code=303)
        start_browser_session(request, response, user, settings, datetime.now(UTC))
        log.info("auth.oidc.signed_in", username=user.username, role=user.role)
    forget_login_state(response)
    return response


async def _signed_in_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    code: str | None,
    state: str | None,
    error: str | None,
    login_cookie: str | None,
) -> User:
    oidc = _configured(settings)
    login = recall_login_state(login_cookie, state, settings.jwt_secret)
    if error or not code:
        raise SignInRefused(
            "the identity provider did not sign you in "
            f"({(error or 'no authorization code')[:100]})"
        )
    identity = await identity_from_code(
        oidc, _providers, _callback_url(request, settings), code, login
    )
    user = await sign_in_directory_user(
        session,
        AuthSource.OIDC,
        identity.subject,
        identity.username,
        identity.groups,
        oidc.group_roles,
    )
    AuditTrail(session, Actor.of(user, request)).record(
        SIGN_IN_AUDIT_ACTION, "user", user.id, detail="single sign-on"
    )
    return user


def _configured(settings: SettingsDep) -> OidcSettings:
    if not settings.oidc.enabled:
        raise SignInRefused("single sign-on is not configured")
    return settings.oidc


def _callback_url(request: Request, settings: SettingsDep) -> str:
    return settings.oidc.redirect_url or str(request.url_for("oidc_callback"))


def _back_to_login(reason: str) -> RedirectResponse:
    return RedirectResponse("/login?" + urlencode({"error": reason}), status_code=303)
