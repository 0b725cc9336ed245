"""Lock a username out after repeated failed logins, across every api replica.

Failures are counted in a NATS KV bucket whose entries expire `LOCKOUT_SECONDS` after the last
failure. Unknown usernames are counted exactly like real ones, so the answer never tells whether
an account exists.
"""

import hashlib

from nats.js import JetStreamContext
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from netraven_shared.bus_streams import LOGIN_FAILURES_BUCKET
from netraven_shared.errors import TooManyRequests
from netraven_shared.key_value import open_bucket

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def _key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()


class LoginThrottle:
    def __init__(self, failures: KeyValue) -> None:
        self._failures = failures

    @classmethod
    async def open(cls, js: JetStreamContext) -> "LoginThrottle":
        return cls(await open_bucket(js, LOGIN_FAILURES_BUCKET, LOCKOUT_SECONDS))

    async def check(self, username: str) -> None:
        count, _ = await self._count(username)
        if count >= MAX_FAILURES:
            raise TooManyRequests(
                f"too many failed logins for this username; try again in {LOCKOUT_SECONDS // 60} minutes"
            )

    async def record_failure(self, username: str) -> None:
        for _ in range(5):  # another replica may count at the same moment: retry on a stale revision
            count, revision = await self._count(username)
            value = str(count + 1).encode()
            try:
                if revision is None:
                    await self._failures.create(_key(username), value)
                else:
                    await self._failures.update(_key(username), value, last=revision)
                return
            except KeyWrongLastSequenceError:
                continue

    async def clear(self, username: str) -> None:
        await self._failures.purge(_key(username))

    async def _count(self, username: str) -> tuple[int, int | None]:
        try:
            entry = await self._failures.get(_key(username))
        except KeyNotFoundError:
            return 0, None
        return int(entry.value or b"0"), entry.revision
