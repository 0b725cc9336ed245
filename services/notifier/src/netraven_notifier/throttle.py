"""Throttling, in the notifier's KV bucket (shared by its replicas):

- a device that keeps failing: its first `backup_failed` is sent and marks it failing
  (`failing.<device>`); later failures only count. Its next good backup clears the mark and sends
  one `backup_recovered` with the count and the time it began;
- a stale device: one `stale` notification per episode (`stale.<device>`), cleared by its next
  good backup.

Every change is a create, or an update or delete at the revision just read, so when two replicas
race exactly one of them wins the right to send; the other reads again.
"""

import json
from collections.abc import Awaitable, Callable
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

    async def backed_up(self, device_id: UUID) -> Failing | None:
        """A good backup: the streak it ends (send a recovery), or None when it was not failing
        or another replica took the recovery."""
        key = f"failing.{device_id}"
        while True:
            try:
                entry = await (await self._kv()).get(key)
            except KeyNotFoundError:
                return None
            if await _deleted_at(await self._kv(), key, entry.revision):
                return Failing.decoded(entry.value or b"{}")

    async def mark_stale(self, device_id: UUID) -> bool:
        """True when this starts a stale episode (send it)."""
        try:
            await (await self._kv()).create(f"stale.{device_id}", b"1")
        except KeyWrongLastSequenceError:
            return False
        return True

    async def clear_stale(self, device_id: UUID) -> None:
        key = f"stale.{device_id}"
        try:
            entry = await (await self._kv()).get(key)
        except KeyNotFoundError:
            return
        await _deleted_at(await self._kv(), key, entry.revision)
