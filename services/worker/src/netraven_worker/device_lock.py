"""One session per device at a time, across every worker process: a lock per device in NATS KV.

Taking the lock creates the device's key with expected revision 0 (compare-and-set), so exactly
one worker wins. The bucket's TTL frees the lock of a worker that died holding it; a live session
refreshes it well within the TTL, and releases it (only if still its own revision) when done.
"""

import json
from uuid import UUID

import structlog
from nats.js.errors import BadRequestError, KeyDeletedError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from netraven_shared.events.base import utc_now

log = structlog.get_logger()

LOCKS_BUCKET = "netraven-device-locks"
_WRONG_LAST_SEQUENCE = 10071  # JetStream's answer when the key moved on: nats-py names it only for updates


class DeviceLock:
    def __init__(self, locks: KeyValue, key: str, value: bytes, revision: int) -> None:
        self._locks = locks
        self._key = key
        self._value = value
        self.revision = revision

    async def refresh(self) -> bool:
        """Rewrite the key (restarting its TTL); False when another worker took it meanwhile."""
        try:
            self.revision = await self._locks.update(self._key, self._value, last=self.revision)
        except KeyWrongLastSequenceError:
            log.error("device_lock.lost", device_id=self._key, note="held past its TTL: another session may have started")
            return False
        return True

    async def release(self) -> None:
        try:
            await self._locks.delete(self._key, last=self.revision)
        except BadRequestError as error:
            if error.err_code != _WRONG_LAST_SEQUENCE:
                raise
            log.warning("device_lock.release_skipped", device_id=self._key, note="no longer ours")


class DeviceLocks:
    def __init__(self, locks: KeyValue, owner: str) -> None:
        self._locks = locks
        self._owner = owner

    async def acquire(self, device_id: UUID, run_id: UUID) -> DeviceLock | None:
        """The device's lock, or None when another session holds it."""
        key = str(device_id)
        value = json.dumps({"worker_id": self._owner, "run_id": str(run_id), "since": utc_now().isoformat()}).encode()
        try:
            revision = await self._locks.create(key, value)
        except KeyWrongLastSequenceError:
            return None
        return DeviceLock(self._locks, key, value, revision)

    async def holder(self, device_id: UUID) -> str:
        """Who holds the device's lock, for the operator log ("unknown" if it just went away)."""
        try:
            entry = await self._locks.get(str(device_id))
            return json.loads(entry.value or b"{}").get("worker_id", "unknown")
        except (KeyNotFoundError, KeyDeletedError, ValueError):
            return "unknown"
