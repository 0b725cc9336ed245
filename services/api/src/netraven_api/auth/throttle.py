"""Exponential, capped backoff after failed logins, per source address and per username, across
every api replica.

The two counters defend against different things, and neither may lock the real user out:

- Per address (strict): after `after_failures` failures, an address must wait 1 s before its next
  attempt, then 2 s, 4 s, ... up to the cap. This is what stops a stranger guessing from one
  machine.
- Per username (mild): it only starts after ten times as many failures, which in practice means
  guessing from many addresses, and never waits longer than a minute. A strict per-username
  lockout would let anyone lock `admin` out just by typing wrong passwords for it; with this split
  a stranger hammering `admin` from one address is slowed by its own address counter long before
  the username counter matters, and the admin still signs in from another address.

A success clears that username's and that address's counters. Unknown usernames are counted
exactly like real ones, so the answer never tells whether an account exists. Counts live in a NATS
KV bucket and are forgotten after four caps without a failure (longer than the cap, so waiting out
the cap does not also wipe the count).
"""

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from nats.js import JetStreamContext
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue
from netraven_shared.bus_streams import LOGIN_FAILURES_BUCKET
from netraven_shared.errors import TooManyRequests
from netraven_shared.key_value import open_bucket

USERNAME_FAILURES_FACTOR = 10
USERNAME_CAP_SECONDS = 60


@dataclass(frozen=True)
class _Counter:
    kind: str  # "address" or "username", as the error message names it
    value: str
    after_failures: int
    cap_seconds: int

    @property
    def key(self) -> str:
        return f"{self.kind}.{hashlib.sha256(self.value.strip().lower().encode()).hexdigest()}"

    def wait_seconds(self, failures: int) -> float:
        if failures < self.after_failures:
            return 0
        return min(2.0 ** (failures - self.after_failures), self.cap_seconds)


def _seconds(count: int) -> str:
    return "1 second" if count == 1 else f"{count} seconds"


class LoginThrottle:
    def __init__(
        self,
        failures: KeyValue,
        after_failures: int,
        cap_seconds: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._failures = failures
        self._after_failures = after_failures
        self._cap_seconds = cap_seconds
        self._clock = clock

    @classmethod
    async def open(
        cls, js: JetStreamContext, after_failures: int, cap_seconds: int, replicas: int = 1
    ) -> "LoginThrottle":
        return cls(
            await open_bucket(js, LOGIN_FAILURES_BUCKET, 4 * cap_seconds, replicas=replicas),
            after_failures,
            cap_seconds,
        )

    def _counters(self, username: str, address: str) -> list[_Counter]:
        return [
            _Counter("address", address, self._after_failures, self._cap_seconds),
            _Counter(
                "username",
                username,
                USERNAME_FAILURES_FACTOR * self._after_failures,
                USERNAME_CAP_SECONDS,
            ),
        ]

    async def check(self, username: str, address: str) -> None:
        """429 with the seconds to wait if this address or this username is backed off."""
        now = self._clock().timestamp()
        for counter in self._counters(username, address):
            failures, last, _ = await self._read(counter)
            remaining = math.ceil(last + counter.wait_seconds(failures) - now)
            if remaining > 0:
                raise TooManyRequests(
                    (
                        f"too many failed logins for this {counter.kind}; "
                        f"try again in {_seconds(remaining)}"
                    ),
                    remaining,
                )

    async def record_failure(self, username: str, address: str) -> None:
        for counter in self._counters(username, address):
            await self._increment(counter)

    async def clear(self, username: str, address: str) -> None:
        for counter in self._counters(username, address):
            await self._failures.purge(counter.key)

    async def _increment(self, counter: _Counter) -> None:
        for _ in range(
            5
        ):  # another replica may count at the same moment: retry on a stale revision
            failures, _, revision = await self._read(counter)
            value = json.dumps(
                {"failures": failures + 1, "last": self._clock().timestamp()}
            ).encode()
            try:
                if revision is None:
                    await self._failures.create(counter.key, value)
                else:
                    await self._failures.update(counter.key, value, last=revision)
                return
            except KeyWrongLastSequenceError:
                continue

    async def _read(self, counter: _Counter) -> tuple[int, float, int | None]:
        try:
            entry = await self._failures.get(counter.key)
        except KeyNotFoundError:
            return 0, 0.0, None
        state = json.loads(entry.value or b"{}")
        return state.get("failures", 0), state.get("last", 0.0), entry.revision
