"""Stop hammering a device that keeps failing: after N failed sessions in a row it is skipped
until a cool-down passes. State lives in a NATS KV bucket keyed by device id, so every worker
process sees the same circuit; a successful session deletes the key (closing the circuit).

After the cool-down one session is tried again (half-open): success closes the circuit, another
failure opens it for a further cool-down.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from nats.js.errors import KeyDeletedError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue
from pydantic import BaseModel

CIRCUITS_BUCKET = "netraven-device-circuits"
CIRCUITS_TTL_SECONDS = 7 * 24 * 3600  # a device untouched for a week starts from a clean count


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

    async def skip_reason(self, device_id: UUID) -> str | None:
        """Why a session to this device must not be opened now, or None."""
        circuit, _ = await self._read(device_id)
        if circuit.open_until is None or circuit.open_until <= self._clock():
            return None
        until = circuit.open_until.strftime("%H:%M UTC")
        return (f"skipped: circuit open after {circuit.failures} " f"consecutive failures until {until}; fix the device or wait")

    async def record_failure(self, device_id: UUID, error: str) -> Circuit:
        for _ in range(5):  # another worker may write at the same moment: retry on a stale revision
            circuit, revision = await self._read(device_id)
            failures = circuit.failures + 1
            open_until = self._clock() + self._cooldown if failures >= self._threshold else None
            updated = Circuit(failures=failures, open_until=open_until, last_error=error[:500])
            try:
                if revision is None:
                    await self._circuits.create(str(device_id), updated.model_dump_json().encode())
                else:
                    await self._circuits.update(str(device_id), updated.model_dump_json().encode(), last=revision)
                return updated
            except KeyWrongLastSequenceError:
                continue
        return updated

    async def record_success(self, device_id: UUID) -> None:
        _, revision = await self._read(device_id)
        if revision is not None:
            await self._circuits.purge(str(device_id))

    async def _read(self, device_id: UUID) -> tuple[Circuit, int | None]:
        try:
            entry = await self._circuits.get(str(device_id))
        except (KeyNotFoundError, KeyDeletedError):
            return Circuit(), None
        return Circuit.model_validate_json(entry.value or b"{}"), entry.revision
