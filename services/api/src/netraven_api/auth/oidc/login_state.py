"""What the callback must find again after the trip to the provider (state, nonce, PKCE verifier):
kept in a short-lived, signed, httpOnly cookie of the browser that started the sign-in, so any api
replica can finish it."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from fastapi import Request, Response

from netraven_api.auth.oidc.refusal import SignInRefused

LOGIN_STATE_COOKIE = "netraven_oidc_login"
_COOKIE_PATH = "/api/auth/oidc"
_AUDIENCE = "netraven:oidc-login"  # a login state is no access token, nor the other way round
_LIFETIME = timedelta(minutes=10)


@dataclass(frozen=True)
class LoginState:
    state: str
    nonce: str
    code_verifier: str

    @classmethod
    def new(cls) -> "LoginState":
        return cls(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),
        )


def remember_login_state(
    request: Request, response: Response, login: LoginState, secret: str
) -> None:
    """SameSite=Lax, not Strict: the provider sends the browser back with a cross-site top-level
    GET."""
    now = datetime.now(UTC)
    claims = {"aud": _AUDIENCE, "iat": now, "exp": now + _LIFETIME} | login.__dict__
    response.set_cookie(
        LOGIN_STATE_COOKIE,
        jwt.encode(claims, secret, algorithm="HS256"),
        max_age=int(_LIFETIME.total_seconds()),
        path=_COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def recall_login_state(cookie: str | None, returned_state: str | None, secret: str) -> LoginState:
    """The sign-in this browser started, if the provider's `state` is the one it was sent."""
    if not cookie:
        raise SignInRefused("the sign-in expired or was started in another browser; try again")
    try:
        claims = jwt.decode(cookie, secret, algorithms=["HS256"], audience=_AUDIENCE)
        login = LoginState(
            state=claims["state"], nonce=claims["nonce"], code_verifier=claims["code_verifier"]
        )
    except (jwt.InvalidTokenError, KeyError):
        raise SignInRefused("the sign-in expired or was tampered with; try again") from None
    if not returned_state or not secrets.compare_digest(returned_state, login.state):
        raise SignInRefused(
            "the identity provider's answer does not belong to this sign-in; try again"
        )
    return login


def forget_login_state(response: Response) -> None:
    response.delete_cookie(LOGIN_STATE_COOKIE, path=_COOKIE_PATH, httponly=True, samesite="lax")
