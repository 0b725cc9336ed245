"""The decrypted logins of a tag set, kept for a few seconds.

A run backs up many devices sharing the same tags; without this every backup read and decrypted
the same credentials again. An entry lives `NETRAVEN_CREDENTIAL_CACHE_SECONDS` (5 s; 0 turns the
cache off), so a credential added, changed or deleted in the api is used by every worker within
that time. The plaintext stays in this process's memory only, like the login it feeds.
"""

import time
from collections.abc import Awaitable, Callable
from uuid import UUID

from netraven_worker.session import Login

MAX_TAG_SETS = 1024


class LoginCache:
    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[frozenset[UUID], tuple[float, list[Login]]] = {}

    async def logins(self, tag_ids: frozenset[UUID], load: Callable[[], Awaitable[list[Login]]]) -> list[Login]:
        now = self._clock()
        cached = self._entries.get(tag_ids)
        if cached is not None and cached[0] > now:
            return cached[1]
        logins = await load()
        if self._ttl > 0:
            self._forget_expired(now)
            self._entries.pop(tag_ids, None)
            self._entries[tag_ids] = (now + self._ttl, logins)
        return logins

    def _forget_expired(self, now: float) -> None:
        for tag_ids in [key for key, (expires, _) in self._entries.items() if expires <= now]:
            del self._entries[tag_ids]
        while len(self._entries) >= MAX_TAG_SETS:
            del self._entries[next(iter(self._entries))]
