"""Throttling, in the notifier's KV bucket (shared by its replicas):

- a device that keeps failing: its first `backup_failed` is sent and marks it failing
  (`failing.<device>`); later failures only count. Its next good backup sends one
  `backup_recovered` with the count and the time it began, then clears the mark;
- a stale device: one `stale` notification per episode, then the mark `stale.<device>`, cleared
  by its next good backup.

A mark is cleared or set only after its notification is recorded, and that notification's id
derives from the streak or the episode: a notifier killed in between, a redelivered event or two
replicas at once record it once (the delivery log is unique per channel and event) and lose none.
Counting is a create, or an update at the revision just read, so of two racing replicas exactly
one sends a streak's first failure.
"""

import json
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from nats.js.errors import BadRequestError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue


@dataclass(frozen=True)
class Failing:
    since: datetime
    failures: int
    first_event_id: UUID

    def encoded(self) -> bytes:
        return json.dumps(
            {
                "since": self.since.isoformat(),
                "failures": self.failures,
                "first_event_id": str(self.first_event_id),
            }
        ).encode()

    @classmethod
    def decoded(cls, raw: bytes) -> "Failing":
        data = json.loads(raw)
        return cls(
            since=datetime.fromisoformat(data["since"]),
            failures=int(data["failures"]),
            first_event_id=UUID(data["first_event_id"]),
        )


# nats-py reports a delete at a stale revision as a plain BadRequestError with JetStream's code
_WRONG_LAST_SEQUENCE = 10071


async def _deleted_at(kv: KeyValue, key: str, revision: int | None) -> bool:
    """Delete `key` if it is still at `revision`; False when someone changed it first."""
    try:
        await kv.delete(key, last=revision)
    except BadRequestError as error:
        if error.err_code != _WRONG_LAST_SEQUENCE:
            raise
        return False
    return True


class Throttle:
    def __init__(self, open_bucket: Callable[[], Awaitable[KeyValue]]) -> None:
        self._open_bucket = open_bucket
        self._bucket: KeyValue | None = None

    async def _kv(self) -> KeyValue:
        if self._bucket is None:
            self._bucket = await self._open_bucket()
        return self._bucket

    async def failed(self, device_id: UUID, event_id: UUID, occurred_at: datetime) -> bool:
        """Count a failure; True when it is the first of a streak (send it). The first failure
        delivered again is still the first: its delivery row keeps it from being sent twice."""
        key = f"failing.{device_id}"
        while True:
            try:
                await (await self._kv()).create(key, Failing(occurred_at, 1, event_id).encoded())
                return True
            except KeyWrongLastSequenceError:
                pass
            try:
                entry = await (await self._kv()).get(key)
            except KeyNotFoundError:
                continue
            state = Failing.decoded(entry.value or b"{}")
            if state.first_event_id == event_id:
                return True
            counted = Failing(state.since, state.failures + 1, state.first_event_id)
            try:
                await (await self._kv()).update(key, counted.encoded(), last=entry.revision)
                return False
            except KeyWrongLastSequenceError:
                continue

    async def streak(self, device_id: UUID) -> Failing | None:
        """The failure streak a good backup ends, if the device was failing."""
        try:
            entry = await (await self._kv()).get(f"failing.{device_id}")
        except KeyNotFoundError:
            return None
        return Failing.decoded(entry.value or b"{}")

    async def end_streak(self, device_id: UUID, streak: Failing) -> None:
        """Clear the mark of `streak` (after its recovery was recorded); a newer streak's mark, or
        none, is left as it is."""
        key = f"failing.{device_id}"
        while True:
            try:
                entry = await (await self._kv()).get(key)
            except KeyNotFoundError:
                return
            if Failing.decoded(entry.value or b"{}").first_event_id != streak.first_event_id:
                return
            if await _deleted_at(await self._kv(), key, entry.revision):
                return

    async def is_stale(self, device_id: UUID) -> bool:
        try:
            await (await self._kv()).get(f"stale.{device_id}")
        except KeyNotFoundError:
            return False
        return True

    async def mark_stale(self, device_id: UUID) -> None:
        """The device's stale episode was notified (its notice recorded first)."""
        with suppress(KeyWrongLastSequenceError):
            await (await self._kv()).create(f"stale.{device_id}", b"1")

    async def clear_stale(self, device_id: UUID) -> None:
        key = f"stale.{device_id}"
        try:
            entry = await (await self._kv()).get(key)
        except KeyNotFoundError:
            return
        await _deleted_at(await self._kv(), key, entry.revision)
