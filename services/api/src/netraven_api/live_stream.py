"""What every live stream (the log, run progress) does while it waits: follow its listener on the
process's fanout, and recheck the caller as every request is checked, ending the stream within
NETRAVEN_STREAM_RECHECK_SECONDS once the account is disabled, its sessions ended, or its API token
revoked or expired. A stream whose listener fell behind ends too: the browser reconnects."""

import time
from collections.abc import AsyncIterator
from typing import TypeVar

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.auth.security import TokenClaims
from netraven_api.deps import signed_in_user
from netraven_api.fanout import FellBehind, Listener
from netraven_shared.errors import NotAuthenticated

Item = TypeVar("Item")


async def follow(
    request: Request, caller: TokenClaims, listener: Listener[Item],
) -> AsyncIterator[Item]:
    sessions = request.app.state.sessions
    recheck_seconds = request.app.state.settings.stream_recheck_seconds
    checked_at = time.monotonic()
    while True:
        waited = time.monotonic() - checked_at
        if waited >= recheck_seconds:
            if not await _still_signed_in(sessions, caller):
                return
            checked_at, waited = time.monotonic(), 0.0
        try:
            item = await listener.next(timeout=recheck_seconds - waited)
        except FellBehind:
            return
        if item is not None:
            yield item


async def _still_signed_in(sessions: async_sessionmaker[AsyncSession], caller: TokenClaims) -> bool:
    async with sessions() as session:
        try:
            await signed_in_user(session, caller)
        except NotAuthenticated:
            return False
        return True
