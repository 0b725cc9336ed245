"""Guarding a device session: what holds around every session the worker opens.

- **One session per device** across every worker process: a lock per device in NATS KV. Taking it
  creates the device's key with expected revision 0 (compare-and-set), so exactly one worker wins.
  The bucket's TTL frees the lock of a worker that died holding it; a live session refreshes it
  well within the TTL and releases it (only if still its own revision) when done.
- **A circuit per device**: after N failed sessions in a row the device is skipped until a
  cool-down passes; then one session is tried again (half-open): success closes the circuit,
  another failure opens it for a further cool-down. State lives in a NATS KV bucket keyed by device
  id, so every worker process sees the same circuit; a success deletes the key.
- **Retry later**: a device busy with another session, or one that did not answer, is handed back
  to JetStream with a delay (`RetryLater`).
"""

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import TypeVar
from uuid import UUID

import structlog
from faststream.nats import NatsBroker
from nats.js.errors import (
    BadRequestError,
    KeyDeletedError,
    KeyNotFoundError,
    KeyWrongLastSequenceError,
)
from nats.js.kv import KeyValue
from netraven_shared.bus_identities import KV_OWNERS, owns_bucket
from netraven_shared.events.base import utc_now
from netraven_shared.key_value import open_bucket, waited_bucket
from netraven_shared.outage import is_outage
from netraven_shared.task_stop import stop_task
from pydantic import BaseModel

from netraven_worker.collection import DeviceUnreachable, HostKeyNotTrusted, PermanentFailure
from netraven_worker.config import WorkerSettings

log = structlog.get_logger()

T = TypeVar("T")

LOCKS_BUCKET = "netraven-device-locks"
CIRCUITS_BUCKET = "netraven-device-circuits"
CIRCUITS_TTL_SECONDS = 7 * 24 * 3600  # a device untouched for a week starts from a clean count
# JetStream's answer when the key moved on: nats-py names it only for updates.
_WRONG_LAST_SEQUENCE = 10071


class RetryLater(Exception):
    """Hand the request back to JetStream: it is delivered again after `delay` seconds."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"retry in {delay:.0f} s")
        self.delay = delay


class CircuitOpen(Exception):
    """The device's circuit is open: no session now. The message says why and until when."""


class DeviceBusy(Exception):
    """Another session holds the device's lock: `holder` names its worker."""

    def __init__(self, holder: str) -> None:
        super().__init__(f"busy with another session ({holder})")
        self.holder = holder


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
            log.error(
                "device_lock.lost",
                device_id=self._key,
                note="held past its TTL: another session may have started",
            )
            return False
        return True

    async def release(self) -> None:
        """Free the device; when the bus cannot take the release (a NATS outage), the lock is left
        to expire after its TTL rather than fail a session that is over."""
        try:
            await self._locks.delete(self._key, last=self.revision)
        except BadRequestError as error:
            if error.err_code != _WRONG_LAST_SEQUENCE:
                raise
            log.warning("device_lock.release_skipped", device_id=self._key, note="no longer ours")
        except Exception as error:
            if not is_outage(error):
                raise
            log.warning(
                "device_lock.release_failed",
                device_id=self._key,
                error=f"{type(error).__name__}: {error}",
                note="left to expire after its TTL",
            )


class DeviceLocks:
    def __init__(self, locks: KeyValue, owner: str) -> None:
        self._locks = locks
        self._owner = owner

    async def acquire(self, device_id: UUID, run_id: UUID) -> DeviceLock | None:
        """The device's lock, or None when another session holds it."""
        key = str(device_id)
        holder = {"worker_id": self._owner, "run_id": str(run_id), "since": utc_now().isoformat()}
        value = json.dumps(holder).encode()
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


class Circuit(BaseModel):
    failures: int = 0
    open_until: datetime | None = None
    last_error: str = ""


class CircuitBreaker:
    def __init__(
        self, circuits: KeyValue, threshold: int, cooldown: timedelta, clock: Callable[[], datetime]
    ) -> None:
        self._circuits = circuits
        self._threshold = threshold
        self._cooldown = cooldown
        self._clock = clock

    async def circuit(self, device_id: UUID) -> Circuit:
        circuit, _ = await self._read(device_id)
        return circuit

    def skip_reason(self, circuit: Circuit) -> str | None:
        """Why a session to the device of `circuit` must not be opened now, or None."""
        if circuit.open_until is None or circuit.open_until <= self._clock():
            return None
        until = circuit.open_until.strftime("%H:%M UTC")
        return (
            f"skipped: circuit open after {circuit.failures} consecutive failures until {until}; "
            "fix the device or wait"
        )

    async def record_failure(self, device_id: UUID, error: str) -> Circuit:
        for _ in range(5):  # another worker may write at the same moment: retry on a stale revision
            circuit, revision = await self._read(device_id)
            failures = circuit.failures + 1
            open_until = self._clock() + self._cooldown if failures >= self._threshold else None
            updated = Circuit(failures=failures, open_until=open_until, last_error=error[:500])
            value = updated.model_dump_json().encode()
            try:
                if revision is None:
                    await self._circuits.create(str(device_id), value)
                else:
                    await self._circuits.update(str(device_id), value, last=revision)
                return updated
            except KeyWrongLastSequenceError:
                continue
        return updated

    async def record_success(self, device_id: UUID, circuit: Circuit) -> None:
        """Close the circuit read before the session: a write only when failures were counted."""
        if circuit.failures:
            await self._circuits.purge(str(device_id))

    async def _read(self, device_id: UUID) -> tuple[Circuit, int | None]:
        try:
            entry = await self._circuits.get(str(device_id))
        except (KeyNotFoundError, KeyDeletedError):
            return Circuit(), None
        return Circuit.model_validate_json(entry.value or b"{}"), entry.revision


class GuardedSession:
    """A session slot on a device whose lock is held and whose circuit was closed."""

    def __init__(self, breaker: CircuitBreaker, device_id: UUID, circuit: Circuit) -> None:
        self._breaker = breaker
        self._device_id = device_id
        self._circuit = circuit

    async def run(self, session: Callable[[], Awaitable[T]]) -> T:
        """Run `session`, its outcome counted by the circuit breaker."""
        try:
            result = await session()
        except HostKeyNotTrusted:
            # Nothing was sent; counting it would keep the device skipped after an admin accepts
            # the key.
            raise
        except (PermanentFailure, DeviceUnreachable) as error:
            await self._breaker.record_failure(self._device_id, str(error))
            raise
        await self._breaker.record_success(self._device_id, self._circuit)
        return result


class DeviceGuard:
    """The device's lock is ours for the whole session (refreshed while it runs), its circuit is
    closed, and the outcome is counted by the circuit breaker.

    Three KV round trips for a good session: take the lock, read the circuit, release the lock. The
    circuit is read under the lock, so no other session can count a failure before this one ends:
    a success writes the circuit only when it had failures to clear."""

    def __init__(
        self, broker: NatsBroker, settings: WorkerSettings, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._broker = broker
        self._settings = settings
        self._clock = clock
        self._opened: tuple[DeviceLocks, CircuitBreaker] | None = None

    @asynccontextmanager
    async def held(self, device_id: UUID, run_id: UUID) -> AsyncIterator[GuardedSession]:
        """The device held for one session; `DeviceBusy` when another session holds it,
        `CircuitOpen` when its circuit is open."""
        locks, breaker = await self._open()
        lock = await locks.acquire(device_id, run_id)
        if lock is None:
            raise DeviceBusy(await locks.holder(device_id))
        refresher = asyncio.create_task(self._keep(lock))
        cut_short = False
        try:
            circuit = await breaker.circuit(device_id)
            if reason := breaker.skip_reason(circuit):
                raise CircuitOpen(reason)
            yield GuardedSession(breaker, device_id, circuit)
        except asyncio.CancelledError:
            # The drain handed the request back while its thread may still talk to the device:
            # the lock is left to expire (its TTL) rather than freed for a second session now.
            cut_short = True
            raise
        finally:
            await stop_task(refresher)
            if not cut_short:
                await lock.release()

    async def _keep(self, lock: DeviceLock) -> None:
        every = min(self._settings.lock_ttl_seconds, self._settings.ack_wait_seconds) / 3
        while True:
            await asyncio.sleep(every)
            await lock.refresh()

    async def open(self) -> None:
        """Open the locks and circuits buckets before the first session: the central workers
        create them, a remote site's collector waits until they have."""
        await self._open()

    async def _open(self) -> tuple[DeviceLocks, CircuitBreaker]:
        if self._opened is None:
            locks = await self._bucket(LOCKS_BUCKET, self._settings.lock_ttl_seconds)
            circuits = await self._bucket(CIRCUITS_BUCKET, CIRCUITS_TTL_SECONDS)
            cooldown = timedelta(seconds=self._settings.circuit_cooldown_seconds)
            threshold = self._settings.circuit_failure_threshold
            self._opened = (
                DeviceLocks(locks, self._settings.worker_id),
                CircuitBreaker(circuits, threshold, cooldown, self._clock),
            )
        return self._opened

    async def _bucket(self, bucket: str, ttl_seconds: float) -> KeyValue:
        js = self._broker.config.connection_state.stream
        if owns_bucket(getattr(self._broker, "identity", None), bucket):
            return await open_bucket(
                js, bucket, ttl_seconds, replicas=self._settings.stream_replicas
            )
        return await waited_bucket(js, bucket, KV_OWNERS[bucket])
