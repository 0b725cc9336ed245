"""The dashboard's session: access tokens live only in the page's memory, and a refresh token lives
in an httpOnly, SameSite=Strict cookie that scripts cannot read and other sites cannot send. The
page gets a new access token from POST /api/auth/refresh whenever it loads or its token nears
expiry."""

from datetime import UTC, datetime, timedelta

from fastapi import Request, Response
from netraven_shared.db.models import User

from netraven_api.auth.security import issue_token
from netraven_api.config import ApiSettings

REFRESH_COOKIE = "netraven_refresh"
REFRESH_SCOPE = "refresh"
_COOKIE_PATH = "/api/auth"


def start_browser_session(
    request: Request, response: Response, user: User, settings: ApiSettings, auth_time: datetime
) -> None:
    """Set the refresh cookie; it lasts as long as the sign-in may (NETRAVEN_SESSION_MAX_HOURS from
    `auth_time`)."""
    remaining = auth_time + timedelta(hours=settings.session_max_hours) - datetime.now(UTC)
    token = issue_token(
        user, settings.jwt_secret, remaining, auth_time=auth_time, scope=REFRESH_SCOPE
    )
    response.set_cookie(
        REFRESH_COOKIE,
        token,
        max_age=max(int(remaining.total_seconds()), 0),
        path=_COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def end_browser_session(response: Response) -> None:
    response.delete_cookie(REFRESH_COOKIE, path=_COOKIE_PATH, httponly=True, samesite="strict")
