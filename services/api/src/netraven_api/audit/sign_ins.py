"""Every sign-in attempt in the trail: who tried (the username typed), from where, and how it ended.

Written in its own short transaction: a failed attempt has no transaction of its own to ride on."""

from collections.abc import AsyncIterator
from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from netraven_shared.errors import NotAuthenticated, TooManyRequests

from netraven_api.audit.trail import Actor, AuditTrail
from netraven_api.unit_of_work import unit_of_work
from netraven_api.users import repository as users_repository

log = structlog.get_logger()


async def record_sign_in(request: Request, username: str, outcome: str, method: str) -> None:
    """Never lets a failure to write the entry change the answer to the sign-in."""
    try:
        async with unit_of_work(request.app.state.sessions) as work:
            succeeded = outcome == "success"
            user = await users_repository.user_named(work.session, username) if succeeded else None
            address = request.client.host if request.client else None
            actor = Actor.of(user, request) if user else Actor(None, username[:255], None, address)
            AuditTrail(work.session, actor).record(
                "auth.sign_in",
                "user",
                user.id if user else None,
                outcome=outcome,
                changes={"method": method},
            )
    except Exception:
        log.exception("audit.sign_in_not_recorded", outcome=outcome)


async def _audit_sign_in(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> AsyncIterator[None]:
    """Wraps the login endpoint: its answer decides the outcome. The method is `local` unless the
    endpoint set `request.state.sign_in_method` (a directory sign-in)."""
    try:
        yield
    except TooManyRequests:
        await record_sign_in(request, form.username, "throttled", _method(request))
        raise
    except NotAuthenticated:
        await record_sign_in(request, form.username, "failed", _method(request))
        raise
    await record_sign_in(request, form.username, "success", _method(request))


def _method(request: Request) -> str:
    return getattr(request.state, "sign_in_method", "local")


AuditedSignIn = Annotated[None, Depends(_audit_sign_in)]
