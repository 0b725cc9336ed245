"""State-changing requests that did not succeed, in the trail: `denied` (401, 403) or `failed` (any
other 4xx or 5xx), written in their own short transaction after the request's own was rolled back.

Only the method, the route, its path parameters and the status are kept: never the body. Sign-ins
are left to `sign_ins` (which knows the username tried)."""

import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from netraven_api.audit.actions import NOT_RECORDED, STATE_CHANGING, match
from netraven_api.audit.trail import Actor, AuditTrail
from netraven_api.auth.security import read_token
from netraven_api.unit_of_work import unit_of_work
from netraven_api.users import repository as users_repository

log = structlog.get_logger()


class RecordRefusals:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in STATE_CHANGING
            or scope["path"] in NOT_RECORDED
        ):
            await self.app(scope, receive, send)
            return
        status = 500

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            if status >= 400:
                await _record(Request(scope), status)


async def _record(request: Request, status: int) -> None:
    try:
        matched = match(request.method, request.url.path)
        outcome = "denied" if status in (401, 403) else "failed"
        async with unit_of_work(request.app.state.sessions) as work:
            AuditTrail(work.session, await _actor(request, work.session)).record(
                matched.action,
                matched.object_type,
                matched.object_id,
                outcome=outcome,
                changes={"method": request.method, "route": matched.route, "status": status},
            )
    except Exception:
        log.exception("audit.refusal_not_recorded", status=status)


async def _actor(request: Request, session: AsyncSession) -> Actor:
    """Whoever the bearer token names, when it is a valid one; anonymous otherwise."""
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return Actor.of(None, request)
    try:
        claims = read_token(token, request.app.state.settings.jwt_secret)
    except Exception:  # noqa: BLE001  (a token that cannot be read names no one)
        return Actor.of(None, request)
    user = await users_repository.get_user(session, claims.user_id)
    return Actor.of(user, request, claims.token_id, claims.role)
